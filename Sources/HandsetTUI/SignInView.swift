import HandsetApp
import HandsetModel

/// The sign-in screen: a centred form with username and password, then whatever Cognito asks for.
public enum SignInView {
    public static func render(
        _ form: SignInState, options: [ExternalSignInOption] = [], offersCode: Bool = true,
        passwordOptional: Bool = false, subtitle: String, into grid: inout CellGrid
    ) {
        if case .totpSetup(let secret, let uri) = form.stage, let code = QRCode(text: uri),
            grid.width >= code.halfBlockLines[0].count + 36, grid.height >= code.halfBlockLines.count + 3
        {
            renderTOTPSetupWithQR(form, secret: secret, code: code, into: &grid)
            return
        }
        if case .device(let userCode, let verificationURI, let completeURI) = form.stage, !userCode.isEmpty,
            let code = QRCode(text: completeURI), grid.width >= code.halfBlockLines[0].count + 36,
            grid.height >= code.halfBlockLines.count + 3
        {
            renderDeviceWithQR(userCode: userCode, verificationURI: verificationURI, code: code, into: &grid)
            return
        }
        let boxWidth = min(60, grid.width - 2)
        let left = max((grid.width - boxWidth) / 2, 0)
        let top = max((grid.height - 14) / 2, 0)
        grid.put("Handset", x: left + (boxWidth - 7) / 2, y: top, role: .title)
        let line = TextWidth.truncate(subtitle, to: boxWidth)
        grid.put(line, x: left + max((boxWidth - TextWidth.width(of: line)) / 2, 0), y: top + 1, role: .dim)
        let layout = Layout(left: left, top: top + 3, width: boxWidth)

        var hints: [(String, String)]
        var messageRow = layout.top + 8
        switch form.stage {
        case .credentials:
            let onField = form.optionFocus == nil
            layout.field(
                "Username", form.username, focused: onField && form.focus == .username, cursor: form.cursor, row: 0,
                into: &grid)
            layout.field(
                "Password", form.password, masked: true, focused: onField && form.focus == .password,
                cursor: form.cursor, row: 2, into: &grid)
            // How to leave comes before the extras: a narrow terminal drops hints from the end.
            hints = [
                ("Enter", "sign in"), ("Tab", "field"), ("Esc", "quit"), ("Ctrl-N", "sign up"),
                ("Ctrl-R", "forgot password"),
            ]
            if offersCode { hints.append(("Ctrl-E", "a code instead")) }
            if !options.isEmpty {
                for (index, option) in options.enumerated() {
                    let focused = form.optionFocus == index
                    let role: StyleRole = focused ? .selection : .hintKey
                    let label = "[ \(option.label) ]"
                    let y = layout.top + 4 + index
                    grid.put(
                        TextWidth.truncate(label, to: layout.width - Layout.labelWidth),
                        x: layout.left + Layout.labelWidth, y: y, role: role)
                }
                messageRow = max(messageRow, layout.top + 5 + options.count)
                if options.contains(.otherDevice) { hints.insert(("Ctrl-D", "another device"), at: 3) }
            }
        case .web(let provider, let url):
            layout.text("Sign in with \(provider) in your browser.", row: 0, into: &grid)
            if url.isEmpty {
                layout.text("Opening the browser…", row: 2, into: &grid)
            } else {
                layout.text("If no browser opened, open this address:", row: 2, into: &grid)
                // The whole address, wrapped: it has to be copied whole.
                let width = max(layout.width, 20)
                var rest = Substring(url)
                var row = 3
                while !rest.isEmpty, layout.top + row < grid.height - 3 {
                    grid.put(String(rest.prefix(width)), x: layout.left, y: layout.top + row, role: .dim)
                    rest = rest.dropFirst(width)
                    row += 1
                }
                messageRow = max(messageRow, layout.top + row + 1)
            }
            grid.put("Waiting for the browser…", x: layout.left, y: min(messageRow, grid.height - 2), role: .dim)
            hints = [("Esc", "cancel")]
        case .device(let userCode, let verificationURI, _):
            if userCode.isEmpty {
                layout.text("Getting a code…", row: 0, into: &grid)
            } else {
                layout.text("On your phone or another computer, open", row: 0, into: &grid)
                layout.text(verificationURI, row: 1, into: &grid)
                layout.text("sign in there, and enter this code:", row: 2, into: &grid)
                grid.put(userCode, x: layout.left + 2, y: layout.top + 4, role: .title)
                grid.put("Waiting for approval…", x: layout.left, y: layout.top + 6, role: .dim)
            }
            hints = [("Esc", "cancel")]
        case .code(let method, let destination):
            let text: String
            switch method {
            case .totp: text = "Enter the code from your authenticator app."
            case .sms: text = "Enter the code we texted to \(destination ?? "your phone")."
            case .email: text = "Enter the code we emailed to \(destination ?? "you")."
            }
            layout.text(text, row: 0, into: &grid)
            layout.field("Code", form.answer, focused: true, cursor: form.cursor, row: 2, into: &grid)
            hints = [("Enter", "verify"), ("Esc", "back")]
        case .choice(let methods, let selected):
            layout.text("How do you want to verify it's you?", row: 0, into: &grid)
            for (index, method) in methods.enumerated() {
                let role: StyleRole = index == selected ? .selection : .normal
                grid.fill(x: layout.left, y: layout.top + 2 + index, width: layout.width, height: 1, role: role)
                grid.put(" \(index + 1)  \(method.displayName)", x: layout.left, y: layout.top + 2 + index, role: role)
            }
            hints = [("↑↓", "choose"), ("Enter", "continue"), ("Esc", "back")]
        case .totpSetup(let secret, let uri):
            layout.text("Add Handset to your authenticator app with this key,", row: 0, into: &grid)
            layout.text("then enter the code it shows.", row: 1, into: &grid)
            grid.put(
                groups(of: secret), x: layout.left + 2, y: layout.top + 3, role: .title, maxWidth: layout.width - 2)
            grid.put(TextWidth.truncate(uri, to: layout.width), x: layout.left, y: layout.top + 4, role: .dim)
            layout.field("Code", form.answer, focused: true, cursor: form.cursor, row: 6, into: &grid)
            hints = [("Enter", "verify"), ("Esc", "back")]
        case .rememberDevice:
            layout.text("Remember this device?", row: 0, into: &grid)
            layout.text("Sign-ins here will then skip the code.", row: 1, into: &grid)
            hints = [("y", "remember"), ("n", "not now")]
        case .newPassword(let attributes):
            layout.text("This account has a temporary password. Choose a new one.", row: 0, into: &grid)
            if !attributes.isEmpty {
                layout.text("The pool also requires: \(attributes.joined(separator: ", "))", row: 1, into: &grid)
            }
            layout.field("New", form.answer, masked: true, focused: true, cursor: form.cursor, row: 3, into: &grid)
            hints = [("Enter", "set password"), ("Esc", "back")]
        case .signUp:
            layout.text("Create an account. We will email you a code to confirm it.", row: 0, into: &grid)
            layout.field(
                "Username", form.username, focused: form.focus == .username, cursor: form.cursor, row: 2, into: &grid)
            layout.field("Email", form.email, focused: form.focus == .email, cursor: form.cursor, row: 3, into: &grid)
            layout.field(
                "Password", form.password, masked: true, focused: form.focus == .password, cursor: form.cursor, row: 4,
                into: &grid)
            if passwordOptional {
                layout.text("Or leave the password empty: sign in with emailed codes.", row: 5, into: &grid)
            }
            hints = [("Enter", "next / create"), ("Tab", "switch field"), ("Esc", "back")]
        case .confirmSignUp:
            layout.text("Enter the code to confirm \(form.username).", row: 0, into: &grid)
            layout.field("Code", form.answer, focused: true, cursor: form.cursor, row: 2, into: &grid)
            hints = [("Enter", "confirm and sign in"), ("Esc", "back")]
        case .forgotPassword:
            layout.text("Forgot your password? We will send a reset code.", row: 0, into: &grid)
            layout.field("Username", form.username, focused: true, cursor: form.cursor, row: 2, into: &grid)
            hints = [("Enter", "send the code"), ("Esc", "back")]
        case .resetPassword:
            layout.text("Enter the reset code and a new password for \(form.username).", row: 0, into: &grid)
            layout.field("Code", form.answer, focused: form.focus == .code, cursor: form.cursor, row: 2, into: &grid)
            layout.field(
                "New", form.password, masked: true, focused: form.focus == .password, cursor: form.cursor, row: 3,
                into: &grid)
            hints = [("Enter", "next / set password"), ("Tab", "switch field"), ("Esc", "back")]
        }

        if let notice = form.notice {
            grid.put(TextWidth.truncate(notice, to: boxWidth), x: layout.left, y: messageRow - 1, role: .dim)
        }
        if form.isSubmitting, !Self.isExternal(form.stage) {
            let doing = form.stage.isAccountStage ? "Sending…" : "Signing in…"
            grid.put(doing, x: layout.left + Layout.labelWidth, y: messageRow, role: .dim)
        } else if let error = form.error {
            // Wrapped, never cut: a password policy or a lockout must be readable whole.
            for (index, line) in TextWidth.wrap(error, to: boxWidth).prefix(max(grid.height - 2 - messageRow, 1))
                .enumerated()
            {
                grid.put(line, x: layout.left, y: messageRow + index, role: .error)
            }
        }
        KeyHints.render(hints, row: grid.height - 1, into: &grid)
    }

    static func isExternal(_ stage: SignInState.Stage) -> Bool {
        switch stage {
        case .web, .device: return true
        default: return false
        }
    }

    /// Sign-in on another device: a scannable code of the complete verification address on the left, the
    /// address and the code to type on the right.
    static func renderDeviceWithQR(userCode: String, verificationURI: String, code: QRCode, into grid: inout CellGrid) {
        let lines = code.halfBlockLines
        let top = max((grid.height - 1 - lines.count) / 2, 0)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: 1, y: top + index, role: .qrCode)
        }
        let left = lines[0].count + 4
        let width = grid.width - left - 1
        let layout = Layout(left: left, top: top + 1, width: width)
        grid.put("Sign in on another device", x: left, y: top, role: .title)
        layout.text("Scan the code with your phone,", row: 1, into: &grid)
        layout.text("or open", row: 2, into: &grid)
        layout.text(verificationURI, row: 3, into: &grid)
        layout.text("and enter this code:", row: 4, into: &grid)
        grid.put(userCode, x: left + 2, y: top + 7, role: .title)
        grid.put("Waiting for approval…", x: left, y: top + 9, role: .dim)
        KeyHints.render([("Esc", "cancel")], row: grid.height - 1, into: &grid)
    }

    /// The authenticator setup with a scannable code on the left and the key and code field on the right.
    static func renderTOTPSetupWithQR(_ form: SignInState, secret: String, code: QRCode, into grid: inout CellGrid) {
        let lines = code.halfBlockLines
        let top = max((grid.height - 1 - lines.count) / 2, 0)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: 1, y: top + index, role: .qrCode)
        }
        let left = lines[0].count + 4
        let width = grid.width - left - 1
        let layout = Layout(left: left, top: top + 1, width: width)
        grid.put("Set up your authenticator", x: left, y: top, role: .title)
        layout.text("Scan the code with your", row: 1, into: &grid)
        layout.text("authenticator app, or type", row: 2, into: &grid)
        layout.text("this key:", row: 3, into: &grid)
        for (index, chunk) in groups(of: secret).split(separator: " ").chunked(4).enumerated() {
            grid.put(chunk.joined(separator: " "), x: left, y: top + 6 + index, role: .title)
        }
        layout.text("Then enter the code it shows.", row: 9, into: &grid)
        let fieldLayout = Layout(left: left, top: top + 12, width: min(width, 24))
        fieldLayout.field("Code", form.answer, focused: true, cursor: form.cursor, row: 0, into: &grid)
        if form.isSubmitting {
            grid.put("Verifying…", x: left, y: top + 14, role: .dim)
        } else if let error = form.error {
            for (index, line) in TextWidth.wrap(error, to: width).prefix(3).enumerated() {
                grid.put(line, x: left, y: top + 14 + index, role: .error)
            }
        }
        KeyHints.render([("Enter", "verify"), ("Esc", "back")], row: grid.height - 1, into: &grid)
    }

    /// `JBSWY3DPEHPK3PXP` as `JBSW Y3DP EHPK 3PXP`, easier to type.
    static func groups(of secret: String) -> String {
        var result = ""
        for (index, character) in secret.enumerated() {
            if index > 0, index % 4 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }

    struct Layout {
        static let labelWidth = 10
        let left: Int
        let top: Int
        let width: Int

        func text(_ text: String, row: Int, into grid: inout CellGrid) {
            grid.put(TextWidth.truncate(text, to: width), x: left, y: top + row, role: .normal)
        }

        /// A field of the form; the focused one shows the cursor at `cursor`. `masked` draws dots.
        func field(
            _ label: String, _ value: String, masked: Bool = false, focused: Bool, cursor: Int, row: Int,
            into grid: inout CellGrid
        ) {
            let y = top + row
            let fieldWidth = max(width - Self.labelWidth, 4)
            grid.put(label, x: left, y: y, role: .fieldLabel)
            let role: StyleRole = focused ? .fieldFocused : .field
            grid.fill(x: left + Self.labelWidth, y: y, width: fieldWidth, height: 1, role: role)
            InputView.render(
                value, cursor: focused ? cursor : value.count, x: left + Self.labelWidth, y: y, width: fieldWidth,
                role: role, focused: focused, mask: masked ? "•" : nil, into: &grid)
        }
    }
}

extension Array {
    fileprivate func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
