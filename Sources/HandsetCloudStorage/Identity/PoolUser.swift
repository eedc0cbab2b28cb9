import Foundation
import HandsetSRP

/// A user of the pool as the identity store keeps it: no password, only its SRP verifier.
package struct PoolUser: Sendable, Equatable {
    package var sub: String
    package var username: String
    package var email: String?
    package var emailVerified: Bool
    package var phoneNumber: String?
    package var phoneNumberVerified: Bool
    /// Every other attribute (`name`, `given_name`, `custom:*`, ...), by Cognito's attribute name.
    package var attributes: [String: String]
    package var status: UserStatus
    package var enabled: Bool
    /// The identity mixed into the SRP hash; fixed when the user is created.
    package var userIdForSRP: String
    package var password: SRPVerifier
    package var passwordSetAt: Date
    package var groups: [String]
    package var mfa: MFASettings
    package var createdAt: Date
    package var updatedAt: Date
    /// A new email the user asked for, waiting for its code; `email` (verified) stays in use until then.
    package var pendingEmail: String? = nil
    /// A new phone number waiting for its code, likewise.
    package var pendingPhoneNumber: String? = nil
    /// Signed up without a password: `password` is a random one nobody knows, so a sign-in can only start with a
    /// one-time code. Cleared when a password is set (an administrator's, or a reset).
    package var passwordless = false

    package init(
        sub: String, username: String, email: String?, emailVerified: Bool, phoneNumber: String?,
        phoneNumberVerified: Bool, attributes: [String: String], status: UserStatus, enabled: Bool,
        userIdForSRP: String, password: SRPVerifier, passwordSetAt: Date, groups: [String], mfa: MFASettings,
        createdAt: Date, updatedAt: Date, pendingEmail: String? = nil, pendingPhoneNumber: String? = nil,
        passwordless: Bool = false
    ) {
        self.sub = sub
        self.username = username
        self.email = email
        self.emailVerified = emailVerified
        self.phoneNumber = phoneNumber
        self.phoneNumberVerified = phoneNumberVerified
        self.attributes = attributes
        self.status = status
        self.enabled = enabled
        self.userIdForSRP = userIdForSRP
        self.password = password
        self.passwordSetAt = passwordSetAt
        self.groups = groups
        self.mfa = mfa
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.pendingEmail = pendingEmail
        self.pendingPhoneNumber = pendingPhoneNumber
        self.passwordless = passwordless
    }

    /// All attributes as Cognito lists them (`sub` first), string-valued.
    package var attributeList: [(name: String, value: String)] {
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
package struct MFASettings: Sendable, Equatable {
    /// The TOTP secret, once AssociateSoftwareToken gave one; usable only when `totpVerified`.
    package var totpSecret: [UInt8]?
    /// A secret from AssociateSoftwareToken (with an access token) waiting for VerifySoftwareToken; the current
    /// secret keeps working until then.
    package var pendingTOTPSecret: [UInt8]?
    package var totpVerified = false
    package var totpEnabled = false
    package var smsEnabled = false
    package var emailEnabled = false
    package var preferred: MFAFactor?

    package init(
        totpSecret: [UInt8]? = nil, pendingTOTPSecret: [UInt8]? = nil, totpVerified: Bool = false,
        totpEnabled: Bool = false, smsEnabled: Bool = false, emailEnabled: Bool = false, preferred: MFAFactor? = nil
    ) {
        self.totpSecret = totpSecret
        self.pendingTOTPSecret = pendingTOTPSecret
        self.totpVerified = totpVerified
        self.totpEnabled = totpEnabled
        self.smsEnabled = smsEnabled
        self.emailEnabled = emailEnabled
        self.preferred = preferred
    }

    /// The factors the user turned on, in Cognito's order.
    package var enabledFactors: [MFAFactor] {
        var factors: [MFAFactor] = []
        if smsEnabled { factors.append(.sms) }
        if totpEnabled && totpVerified { factors.append(.softwareToken) }
        if emailEnabled { factors.append(.email) }
        return factors
    }
}
