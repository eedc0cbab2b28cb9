import Foundation

/// Which factors the account has and which one sign-in asks for (`SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_MFA`).
public struct MFASettings: Sendable, Equatable {
    public var enabled: [String]
    public var preferred: String?

    public init(enabled: [String], preferred: String?) {
        self.enabled = enabled
        self.preferred = preferred
    }
}
