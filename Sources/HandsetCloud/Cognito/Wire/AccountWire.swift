struct SignUpRequestWire: Codable, Sendable {
    var clientId: String
    var username: String
    /// Left out (or empty) for a passwordless account, where the pool allows one-time codes as a first factor.
    var password: String?
    var secretHash: String?
    var userAttributes: [AttributeWire]?

    enum CodingKeys: String, CodingKey {
        case clientId = "ClientId"
        case username = "Username"
        case password = "Password"
        case secretHash = "SecretHash"
        case userAttributes = "UserAttributes"
    }
}

struct SignUpResponseWire: Codable, Sendable {
    var userConfirmed: Bool
    var userSub: String
    var codeDeliveryDetails: CodeDeliveryDetailsWire?

    enum CodingKeys: String, CodingKey {
        case userConfirmed = "UserConfirmed"
        case userSub = "UserSub"
        case codeDeliveryDetails = "CodeDeliveryDetails"
    }
}

/// ConfirmSignUp and ConfirmForgotPassword (the latter with `Password`).
struct ConfirmCodeRequestWire: Codable, Sendable {
    var clientId: String
    var username: String
    var confirmationCode: String
    var password: String?
    var secretHash: String?

    enum CodingKeys: String, CodingKey {
        case clientId = "ClientId"
        case username = "Username"
        case confirmationCode = "ConfirmationCode"
        case password = "Password"
        case secretHash = "SecretHash"
    }
}

/// ResendConfirmationCode and ForgotPassword.
struct UsernameRequestWire: Codable, Sendable {
    var clientId: String
    var username: String
    var secretHash: String?

    enum CodingKeys: String, CodingKey {
        case clientId = "ClientId"
        case username = "Username"
        case secretHash = "SecretHash"
    }
}

struct CodeDeliveryResponseWire: Codable, Sendable {
    var codeDeliveryDetails: CodeDeliveryDetailsWire

    enum CodingKeys: String, CodingKey {
        case codeDeliveryDetails = "CodeDeliveryDetails"
    }
}

struct ChangePasswordRequestWire: Codable, Sendable {
    var previousPassword: String?
    var proposedPassword: String
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case previousPassword = "PreviousPassword"
        case proposedPassword = "ProposedPassword"
        case accessToken = "AccessToken"
    }
}

/// GetUser, GlobalSignOut, DeleteUser.
struct AccessTokenRequestWire: Codable, Sendable {
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
    }
}

struct GetUserResponseWire: Codable, Sendable {
    var username: String
    var userAttributes: [AttributeWire]
    var mfaOptions: [MFAOptionWire]?
    var preferredMfaSetting: String?
    var userMFASettingList: [String]?

    enum CodingKeys: String, CodingKey {
        case username = "Username"
        case userAttributes = "UserAttributes"
        case mfaOptions = "MFAOptions"
        case preferredMfaSetting = "PreferredMfaSetting"
        case userMFASettingList = "UserMFASettingList"
    }
}

struct UpdateUserAttributesRequestWire: Codable, Sendable {
    var userAttributes: [AttributeWire]
    var accessToken: String

    enum CodingKeys: String, CodingKey {
        case userAttributes = "UserAttributes"
        case accessToken = "AccessToken"
    }
}

struct UpdateUserAttributesResponseWire: Codable, Sendable {
    var codeDeliveryDetailsList: [CodeDeliveryDetailsWire]

    enum CodingKeys: String, CodingKey {
        case codeDeliveryDetailsList = "CodeDeliveryDetailsList"
    }
}

struct VerifyUserAttributeRequestWire: Codable, Sendable {
    var accessToken: String
    var attributeName: String
    var code: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case attributeName = "AttributeName"
        case code = "Code"
    }
}

struct AttributeVerificationCodeRequestWire: Codable, Sendable {
    var accessToken: String
    var attributeName: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case attributeName = "AttributeName"
    }
}

struct RevokeTokenRequestWire: Codable, Sendable {
    var token: String
    var clientId: String
    var clientSecret: String?

    enum CodingKeys: String, CodingKey {
        case token = "Token"
        case clientId = "ClientId"
        case clientSecret = "ClientSecret"
    }
}
