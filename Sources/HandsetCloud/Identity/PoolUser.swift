import Foundation

/// A user of the pool as the identity store keeps it: no password, only its SRP verifier.
struct PoolUser: Sendable, Equatable {
    var sub: String
    var username: String
    var email: String?
    var emailVerified: Bool
    var phoneNumber: String?
    var phoneNumberVerified: Bool
    /// Every other attribute (`name`, `given_name`, `custom:*`, ...), by Cognito's attribute name.
    var attributes: [String: String]
    var status: UserStatus
    var enabled: Bool
    /// The identity mixed into the SRP hash; fixed when the user is created.
    var userIdForSRP: String
    var password: SRPVerifier
    var passwordSetAt: Date
    var groups: [String]
    var mfa: MFASettings
    var createdAt: Date
    var updatedAt: Date
    /// A new email the user asked for, waiting for its code; `email` (verified) stays in use until then.
    var pendingEmail: String? = nil
    /// A new phone number waiting for its code, likewise.
    var pendingPhoneNumber: String? = nil

    /// All attributes as Cognito lists them (`sub` first), string-valued.
    var attributeList: [(name: String, value: String)] {
        var list: [(String, String)] = [("sub", sub)]
        if let email {
            list.append(("email", email))
            list.append(("email_verified", emailVerified ? "true" : "false"))
        }
        if let phoneNumber {
            list.append(("phone_number", phoneNumber))
            list.append(("phone_number_verified", phoneNumberVerified ? "true" : "false"))
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) { list.append((name, value)) }
        return list
    }
}

/// A user's second factors.
struct MFASettings: Sendable, Equatable {
    /// The TOTP secret, once AssociateSoftwareToken gave one; usable only when `totpVerified`.
    var totpSecret: [UInt8]?
    /// A secret from AssociateSoftwareToken (with an access token) waiting for VerifySoftwareToken; the current
    /// secret keeps working until then.
    var pendingTOTPSecret: [UInt8]?
    var totpVerified = false
    var totpEnabled = false
    var smsEnabled = false
    var emailEnabled = false
    var preferred: MFAFactor?

    /// The factors the user turned on, in Cognito's order.
    var enabledFactors: [MFAFactor] {
        var factors: [MFAFactor] = []
        if smsEnabled { factors.append(.sms) }
        if totpEnabled && totpVerified { factors.append(.softwareToken) }
        if emailEnabled { factors.append(.email) }
        return factors
    }
}
