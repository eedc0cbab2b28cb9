import Foundation

/// The sign-in form.
public struct SignInState: Sendable, Equatable {
    public enum Field: Sendable, Equatable, CaseIterable { case username, password }

    public var username: String
    public var password: String
    public var focus: Field
    public var isSubmitting: Bool
    /// Shown under the form: why the last attempt failed, or why the person is here (session expired).
    public var error: String?

    public init(username: String = "", password: String = "", focus: Field = .username, error: String? = nil) {
        self.username = username
        self.password = password
        self.focus = focus
        self.isSubmitting = false
        self.error = error
    }
}

extension SignInState: CustomStringConvertible, CustomDebugStringConvertible {
    // Keeps the password out of any printed value (test failures, debug output).
    public var description: String {
        "SignInState(username: \(username), password: <\(password.count) characters>, focus: \(focus), "
            + "isSubmitting: \(isSubmitting), error: \(error ?? "nil"))"
    }
    public var debugDescription: String { description }
}

/// What the sign-in form asks for after a key.
public enum SignInOutcome: Sendable, Equatable {
    case none
    case submit(username: String, password: String)
}

extension SignInState {
    /// Edits the form: typing, Tab/Enter/arrows between fields, Enter on the last field submits.
    public mutating func handle(_ key: Key) -> SignInOutcome {
        guard !isSubmitting else { return .none }
        switch key {
        case .character(let character):
            switch focus {
            case .username: username.append(character)
            case .password: password.append(character)
            }
        case .backspace:
            switch focus {
            case .username: if !username.isEmpty { username.removeLast() }
            case .password: if !password.isEmpty { password.removeLast() }
            }
        case .control("u"):
            switch focus {
            case .username: username = ""
            case .password: password = ""
            }
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
            isSubmitting = true
            return .submit(username: trimmed, password: password)
        default:
            break
        }
        return .none
    }
}
