/// Creating an account and resetting a forgotten password, from the sign-in screen (Ctrl-N, Ctrl-R).
extension SignInState {
    /// The text of a field.
    public subscript(field: Field) -> String {
        get {
            switch field {
            case .username: return username
            case .email: return email
            case .password: return password
            case .code: return answer
            }
        }
        set {
            switch field {
            case .username: username = newValue
            case .email: email = newValue
            case .password: password = newValue
            case .code: answer = newValue
            }
        }
    }

    /// The fields a stage shows, in order.
    public static func fields(of stage: Stage) -> [Field] {
        switch stage {
        case .credentials: return [.username, .password]
        case .signUp: return [.username, .email, .password]
        case .confirmSignUp: return [.code]
        case .forgotPassword: return [.username]
        case .resetPassword: return [.code, .password]
        default: return [.code]
        }
    }

    /// Goes to an account stage, keeping the username typed so far.
    public mutating func start(_ next: Stage) {
        stage = next
        password = ""
        answer = ""
        error = nil
        notice = nil
        let fields = Self.fields(of: next)
        focus = fields.first { self[$0].isEmpty } ?? fields[0]
    }

    /// A code was sent: on to entering it.
    public mutating func codeSent(to destination: String?) {
        isSubmitting = false
        let sentTo = destination.map { "to \($0)" } ?? "to the account's address"
        switch stage {
        case .signUp:
            // The password is kept (in memory only) to sign in right after the confirmation.
            let kept = password
            start(.confirmSignUp(destination: destination))
            password = kept
            notice = "We sent a confirmation code \(sentTo)."
        case .forgotPassword:
            start(.resetPassword(destination: destination))
            notice = "We sent a reset code \(sentTo)."
        default:
            break
        }
    }

    /// `passwordOptional`: a sign-up may leave the password empty (a passwordless account).
    mutating func handleAccountStage(_ key: Key, passwordOptional: Bool = false) -> SignInFormOutcome {
        let fields = Self.fields(of: stage)
        let index = fields.firstIndex(of: focus) ?? 0
        switch key {
        case .escape:
            let name = username
            self = SignInState(username: name, focus: name.isEmpty ? .username : .password)
            return .cancel
        case .tab, .down:
            focus = fields[(index + 1) % fields.count]
        case .backTab, .up:
            focus = fields[(index + fields.count - 1) % fields.count]
        case .enter:
            if index < fields.count - 1 {
                focus = fields[index + 1]
                return .none
            }
            return submitAccountStage(passwordOptional: passwordOptional)
        default:
            edit(key, rules: focus == .code ? .code : .singleLine)
        }
        return .none
    }

    private mutating func submitAccountStage(passwordOptional: Bool) -> SignInFormOutcome {
        let name = username.trimmingCharacters(in: .whitespaces)
        let missing: [Field: String] = [
            .username: "Enter a username", .email: "Enter an email address", .password: "Enter a password",
            .code: "Enter the code",
        ]
        let optional: Field? = stage == .signUp && passwordOptional ? .password : nil
        for field in Self.fields(of: stage)
        where field != optional && (field == .username ? name : self[field]).isEmpty {
            error = missing[field]
            focus = field
            return .none
        }
        if case .signUp = stage, !email.contains("@") {
            error = "That email address has no @"
            focus = .email
            return .none
        }
        error = nil
        isSubmitting = true
        switch stage {
        case .signUp:
            return .signUp(username: name, email: email.trimmingCharacters(in: .whitespaces), password: password)
        case .confirmSignUp: return .confirmSignUp(username: name, code: answer)
        case .forgotPassword: return .forgotPassword(username: name)
        case .resetPassword: return .resetPassword(username: name, code: answer, newPassword: password)
        default:
            isSubmitting = false
            return .none
        }
    }
}
