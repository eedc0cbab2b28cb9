/// A second factor, named as Cognito names its challenges.
package enum MFAFactor: String, Sendable, Codable, CaseIterable {
    case softwareToken = "SOFTWARE_TOKEN_MFA"
    case sms = "SMS_MFA"
    case email = "EMAIL_OTP"

    /// Parses a challenge or setting name; `EMAIL_MFA` is accepted for email, as AWS's docs use both spellings.
    package init?(challengeName: String) {
        if challengeName == "EMAIL_MFA" {
            self = .email
        } else {
            self.init(rawValue: challengeName)
        }
    }
}
