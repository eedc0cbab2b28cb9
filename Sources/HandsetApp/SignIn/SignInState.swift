import Foundation
import HandsetModel

/// The sign-in screen: credentials first, then whatever Cognito asks for (an MFA code, a choice of factor, an
/// authenticator setup, a new password).
public struct SignInState: Sendable, Equatable {
    public enum Field: Sendable, Equatable, CaseIterable { case username, email, password, code }

    /// Which step of the sign-in is showing.
    public enum Stage: Sendable, Equatable {
        case credentials
        case code(method: MFAMethod, destination: String?)
        case choice([MFAMethod], selected: Int)
        case totpSetup(secret: String, uri: String)
        case newPassword(requiredAttributes: [String])
        /// A new account: username, email, password.
        case signUp
        /// The code Cognito sent to confirm the new account.
        case confirmSignUp(destination: String?)
        /// Asking for a reset code.
        case forgotPassword
        /// The reset code and the new password.
        case resetPassword(destination: String?)
        /// Signing in through a provider in the browser: the address to open (empty until it is known).
        case web(provider: String, url: String)
        /// Signing in on another device: the code to enter there and where (empty until they are known).
        case device(userCode: String, verificationURI: String, completeURI: String)
        /// Remember this device (the pool asks only when the person says so)? `y` or `n`.
        case rememberDevice

        /// The stages of creating or recovering an account (not challenges of a sign-in).
        public var isAccountStage: Bool {
            switch self {
            case .signUp, .confirmSignUp, .forgotPassword, .resetPassword: return true
            default: return false
            }
        }
    }

    public var username: String
    public var email: String
    public var password: String
    public var focus: Field {
        didSet { if focus != oldValue { cursor = self[focus].count } }
    }
    /// Where typing goes in the focused field (characters from its start).
    public var cursor: Int
    /// What the last Ctrl-W/K/U cut, for Ctrl-Y.
    public var killed: String
    /// A note that is not an error (where a code was sent, "account confirmed").
    public var notice: String?
    /// Failed sign-ins on this screen so far (for saying when a lockout ends).
    public var failures: Int
    public var stage: Stage
    /// Which of the other ways to sign in (listed under the form) has the focus; nil: a field has it.
    public var optionFocus: Int?
    /// What the person typed at a challenge (a code or a new password).
    public var answer: String
    public var isSubmitting: Bool
    /// Shown under the form: why the last attempt failed, or why the person is here (session expired).
    public var error: String?

    public init(username: String = "", password: String = "", focus: Field = .username, error: String? = nil) {
        self.username = username
        self.email = ""
        self.password = password
        self.focus = focus
        self.cursor = 0
        self.killed = ""
        self.notice = nil
        self.stage = .credentials
        self.optionFocus = nil
        self.answer = ""
        self.isSubmitting = false
        self.error = error
        self.failures = 0
        self.cursor = self[focus].count
    }

    /// Edits the focused field's text (the answer at a challenge) with the line-editing keys.
    @discardableResult
    mutating func edit(_ key: Key, rules: TextInput.Rules = .singleLine) -> Bool {
        var text = self[focus]
        let handled = TextInput.edit(&text, cursor: &cursor, killed: &killed, with: key, rules: rules)
        self[focus] = text
        return handled
    }

    /// Cognito's lockout answer ("Password attempts exceeded") in words that are true: the pool pauses sign-in
    /// after 5 failures, for 1 s and then twice as long after each further failure, up to about 15 minutes. How long
    /// the pause is now only the pool knows (other devices' failures count, and a pause may already be over), so no
    /// time is promised.
    public static func explainLockout(_ message: String) -> String {
        guard message.localizedCaseInsensitiveContains("attempts exceeded") else { return message }
        return "Too many attempts: sign-in is paused briefly (longer after each failure); try again shortly"
    }

    /// Shows what Cognito asked for next.
    public mutating func show(_ prompt: SignInPrompt, error: String?) {
        isSubmitting = false
        answer = ""
        focus = .code
        cursor = 0
        self.error = error
        switch prompt {
        case .mfaCode(let method, let destination): stage = .code(method: method, destination: destination)
        case .mfaChoice(let methods): stage = .choice(methods, selected: 0)
        case .totpSetup(let secret, let uri): stage = .totpSetup(secret: secret, uri: uri)
        case .newPassword(let attributes): stage = .newPassword(requiredAttributes: attributes)
        case .rememberDevice: stage = .rememberDevice
        }
    }
}

extension SignInState: CustomStringConvertible, CustomDebugStringConvertible {
    // Keeps the password and codes out of any printed value (test failures, debug output).
    public var description: String {
        "SignInState(username: \(username), email: \(email), password: <\(password.count) characters>, focus: \(focus), "
            + "stage: \(stage), answer: <\(answer.count) characters>, isSubmitting: \(isSubmitting), "
            + "error: \(error ?? "nil"))"
    }
    public var debugDescription: String { description }
}

/// What the sign-in form asks for after a key.
public enum SignInFormOutcome: Sendable, Equatable {
    case none
    case submit(username: String, password: String)
    /// Sign in with a one-time code (email or text message) instead of the password, if the pool offers it.
    case signInWithCode(username: String)
    /// The answer to a challenge.
    case answer(String)
    case signUp(username: String, email: String, password: String)
    case confirmSignUp(username: String, code: String)
    case forgotPassword(username: String)
    case resetPassword(username: String, code: String, newPassword: String)
    /// Give up the challenge and go back to the credentials.
    case cancel
    /// Sign in another way (a provider in the browser, another device).
    case external(ExternalSignInOption)
    /// Stop waiting for the browser or the other device.
    case cancelExternal
}

extension SignInState {
    /// Edits the form: typing, Tab/Enter/arrows between fields and the other ways to sign in (`options`), Enter on
    /// the last field submits. `offersCode`: whether Ctrl-E signs in with a one-time code (the pool allows it).
    /// `passwordOptional`: whether a sign-up may leave the password empty (the pool allows passwordless accounts).
    public mutating func handle(
        _ key: Key, options: [ExternalSignInOption] = [], offersCode: Bool = true, passwordOptional: Bool = false
    ) -> SignInFormOutcome {
        switch stage {
        case .web, .device:
            guard key == .escape else { return .none }
            stage = .credentials
            isSubmitting = false
            return .cancelExternal
        default:
            break
        }
        guard !isSubmitting else { return .none }
        if stage.isAccountStage { return handleAccountStage(key, passwordOptional: passwordOptional) }
        if stage != .credentials { return handleChallenge(key) }
        if let chosen = handleOptions(key, options: options) { return chosen }
        switch key {
        case .control("n"):
            start(.signUp)
            return .none
        case .control("r"):
            start(.forgotPassword)
            return .none
        case .control("e"):
            guard offersCode else {
                error = "This app's user pool offers no sign-in with a code: enter your password"
                return .none
            }
            let trimmed = username.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                error = "Enter your username or email, then Ctrl-E for a sign-in code"
                focus = .username
                return .none
            }
            error = nil
            password = ""
            isSubmitting = true
            return .signInWithCode(username: trimmed)
        case .tab, .down:
            focus = focus == .username ? .password : .username
        case .backTab, .up:
            focus = focus == .password ? .username : .password
        case .enter:
            if focus == .username {
                focus = .password
                return .none
            }
            let trimmed = username.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                error = "Enter your username or email"
                focus = .username
                return .none
            }
            guard !password.isEmpty else {
                error = "Enter your password"
                return .none
            }
            error = nil
            notice = nil
            isSubmitting = true
            return .submit(username: trimmed, password: password)
        default:
            edit(key)
        }
        return .none
    }

    /// Keys that move among (or pick) the other ways to sign in; nil when the key is the form's.
    private mutating func handleOptions(_ key: Key, options: [ExternalSignInOption]) -> SignInFormOutcome? {
        if key == .control("d"), let index = options.firstIndex(of: .otherDevice) {
            optionFocus = index
            return start(options[index])
        }
        guard !options.isEmpty else { return nil }
        if let focused = optionFocus {
            switch key {
            case .tab, .down:
                optionFocus = focused + 1 < options.count ? focused + 1 : nil
                if optionFocus == nil { focus = .username }
            case .backTab, .up:
                optionFocus = focused > 0 ? focused - 1 : nil
                if optionFocus == nil { focus = .password }
            case .enter, .character(" "):
                return start(options[min(focused, options.count - 1)])
            default:
                break
            }
            return SignInFormOutcome.none
        }
        switch key {
        case .tab where focus == .password, .down where focus == .password:
            optionFocus = 0
            return SignInFormOutcome.none
        case .backTab where focus == .username, .up where focus == .username:
            optionFocus = options.count - 1
            return SignInFormOutcome.none
        default:
            return nil
        }
    }

    private mutating func start(_ option: ExternalSignInOption) -> SignInFormOutcome {
        error = nil
        notice = nil
        isSubmitting = true
        switch option {
        case .provider(let name): stage = .web(provider: name, url: "")
        case .otherDevice: stage = .device(userCode: "", verificationURI: "", completeURI: "")
        }
        return .external(option)
    }

    private mutating func handleChallenge(_ key: Key) -> SignInFormOutcome {
        // Signed in already: Esc is "no", never a way back to the password.
        if stage == .rememberDevice {
            switch key {
            case .character("y"), .character("Y"), .enter:
                isSubmitting = true
                return .answer("yes")
            case .character("n"), .character("N"), .escape:
                isSubmitting = true
                return .answer("no")
            default:
                return .none
            }
        }
        if key == .escape {
            stage = .credentials
            answer = ""
            password = ""
            focus = .password
            cursor = 0
            error = nil
            return .cancel
        }
        if case .choice(let methods, let selected) = stage {
            switch key {
            case .down, .character("j"), .tab:
                stage = .choice(methods, selected: min(selected + 1, max(methods.count - 1, 0)))
            case .up, .character("k"), .backTab:
                stage = .choice(methods, selected: max(selected - 1, 0))
            case .character(let digit) where digit.wholeNumberValue.map({ (1...methods.count).contains($0) }) == true:
                stage = .choice(methods, selected: (digit.wholeNumberValue ?? 1) - 1)
            case .enter:
                guard methods.indices.contains(selected) else { return .none }
                isSubmitting = true
                return .answer(methods[selected].rawValue)
            default:
                break
            }
            return .none
        }
        let isCode: Bool
        switch stage {
        case .code, .totpSetup: isCode = true
        default: isCode = false
        }
        focus = .code
        switch key {
        case .enter:
            guard !answer.isEmpty else {
                error = isCode ? "Enter the code" : "Enter a new password"
                return .none
            }
            error = nil
            isSubmitting = true
            return .answer(answer)
        default:
            // Codes are up to 8 digits; a new password is anything.
            edit(key, rules: isCode ? .code : .singleLine)
        }
        return .none
    }
}
