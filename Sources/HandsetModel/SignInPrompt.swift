import Foundation

/// A second factor Cognito can ask for.
public enum MFAMethod: String, Sendable, Equatable, CaseIterable {
    case totp = "SOFTWARE_TOKEN_MFA"
    case sms = "SMS_MFA"
    case email = "EMAIL_OTP"

    public var displayName: String {
        switch self {
        case .totp: return "Authenticator app"
        case .sms: return "Text message"
        case .email: return "Email"
        }
    }
}

/// What the person must provide next.
public enum SignInPrompt: Sendable, Equatable {
    /// A one-time code; `destination` is where it was sent (masked), for SMS and email.
    case mfaCode(method: MFAMethod, destination: String?)
    /// Which second factor to use this time.
    case mfaChoice([MFAMethod])
    /// Set up an authenticator app with this secret (base32) and URI, then enter its first code.
    case totpSetup(secret: String, uri: String)
    /// The account has a temporary password: choose a new one (and fill these attributes).
    case newPassword(requiredAttributes: [String])
    /// The pool remembers devices only when the person says so: remember this one, so that sign-ins here skip the
    /// code? Answered with `yes` or `no`.
    case rememberDevice
}

/// Which first step to use: SRP (the default; the password never leaves the device) or plain password.
public enum SignInFlow: String, Sendable, Equatable {
    case srp
    case password
}
