import HandsetApp

/// The sign-in screen: a centred form with username and password.
public enum SignInView {
    public static func render(_ form: SignInState, subtitle: String, into grid: inout CellGrid) {
        let boxWidth = min(52, grid.width - 2)
        let left = max((grid.width - boxWidth) / 2, 0)
        let top = max((grid.height - 12) / 2, 0)
        grid.put("Handset", x: left + (boxWidth - 7) / 2, y: top, role: .title)
        let line = TextWidth.truncate(subtitle, to: boxWidth)
        grid.put(line, x: left + max((boxWidth - TextWidth.width(of: line)) / 2, 0), y: top + 1, role: .dim)

        let labelWidth = 10
        let fieldWidth = max(boxWidth - labelWidth, 4)
        func field(_ label: String, _ value: String, focused: Bool, row: Int) {
            grid.put(label, x: left, y: row, role: .fieldLabel)
            let role: StyleRole = focused ? .fieldFocused : .field
            grid.fill(x: left + labelWidth, y: row, width: fieldWidth, height: 1, role: role)
            // Show the end of a long value, where the cursor is.
            var shown = value
            while TextWidth.width(of: shown) > fieldWidth - 1, !shown.isEmpty { shown.removeFirst() }
            let used = grid.put(shown, x: left + labelWidth, y: row, role: role, maxWidth: fieldWidth)
            if focused, used < fieldWidth { grid.put("▏", x: left + labelWidth + used, y: row, role: role) }
        }
        field("Username", form.username, focused: form.focus == .username, row: top + 3)
        field("Password", String(repeating: "•", count: form.password.count), focused: form.focus == .password, row: top + 5)

        if form.isSubmitting {
            grid.put("Signing in…", x: left + labelWidth, y: top + 7, role: .dim)
        } else if let error = form.error {
            grid.put(TextWidth.truncate(error, to: boxWidth), x: left, y: top + 7, role: .error)
        }
        KeyHints.render(
            [("Enter", "next / sign in"), ("Tab", "switch field"), ("Esc", "quit")], row: grid.height - 1, into: &grid)
    }
}
