struct AssociateSoftwareTokenRequestWire: Codable, Sendable {
    var accessToken: String?
    var session: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case session = "Session"
    }
}

struct AssociateSoftwareTokenResponseWire: Codable, Sendable {
    var secretCode: String
    var session: String?

    enum CodingKeys: String, CodingKey {
        case secretCode = "SecretCode"
        case session = "Session"
    }
}

struct VerifySoftwareTokenRequestWire: Codable, Sendable {
    var accessToken: String?
    var session: String?
    var userCode: String
    var friendlyDeviceName: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case session = "Session"
        case userCode = "UserCode"
        case friendlyDeviceName = "FriendlyDeviceName"
    }
}

struct VerifySoftwareTokenResponseWire: Codable, Sendable {
    var status: String
    var session: String?

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case session = "Session"
    }
}

/// `{"Enabled": Bool, "PreferredMfa": Bool}` for one factor.
struct MFASettingWire: Codable, Sendable {
    var enabled: Bool?
    var preferredMfa: Bool?

    enum CodingKeys: String, CodingKey {
        case enabled = "Enabled"
        case preferredMfa = "PreferredMfa"
    }
}

struct SetUserMFAPreferenceRequestWire: Codable, Sendable {
    var smsMfaSettings: MFASettingWire?
    var softwareTokenMfaSettings: MFASettingWire?
    var emailMfaSettings: MFASettingWire?
    var accessToken: String?
    /// AdminSetUserMFAPreference names the user instead.
    var username: String?
    var userPoolId: String?

    enum CodingKeys: String, CodingKey {
        case smsMfaSettings = "SMSMfaSettings"
        case softwareTokenMfaSettings = "SoftwareTokenMfaSettings"
        case emailMfaSettings = "EmailMfaSettings"
        case accessToken = "AccessToken"
        case username = "Username"
        case userPoolId = "UserPoolId"
    }
}
