import HandsetWire

/// `SchemaAttributeType`, as AddCustomAttributes takes it and DescribeUserPool shows it.
struct SchemaAttributeWire: Codable, Sendable, Equatable {
    var name: String?
    var attributeDataType: String?
    var developerOnlyAttribute: Bool?
    var mutable: Bool?
    var required: Bool?
    var numberAttributeConstraints: NumberConstraintsWire?
    var stringAttributeConstraints: StringConstraintsWire?

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case attributeDataType = "AttributeDataType"
        case developerOnlyAttribute = "DeveloperOnlyAttribute"
        case mutable = "Mutable"
        case required = "Required"
        case numberAttributeConstraints = "NumberAttributeConstraints"
        case stringAttributeConstraints = "StringAttributeConstraints"
    }
}

struct NumberConstraintsWire: Codable, Sendable, Equatable {
    var minValue: String?
    var maxValue: String?

    enum CodingKeys: String, CodingKey {
        case minValue = "MinValue"
        case maxValue = "MaxValue"
    }
}

struct StringConstraintsWire: Codable, Sendable, Equatable {
    var minLength: String?
    var maxLength: String?

    enum CodingKeys: String, CodingKey {
        case minLength = "MinLength"
        case maxLength = "MaxLength"
    }
}

struct AddCustomAttributesRequestWire: Codable, Sendable {
    var userPoolId: String
    var customAttributes: [SchemaAttributeWire]

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case customAttributes = "CustomAttributes"
    }
}

struct SoftwareTokenMfaConfigWire: Codable, Sendable, Equatable {
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case enabled = "Enabled"
    }
}

struct SmsMfaConfigWire: Codable, Sendable, Equatable {
    var smsAuthenticationMessage: String?

    enum CodingKeys: String, CodingKey {
        case smsAuthenticationMessage = "SmsAuthenticationMessage"
    }
}

struct EmailMfaConfigWire: Codable, Sendable, Equatable {
    var message: String?
    var subject: String?

    enum CodingKeys: String, CodingKey {
        case message = "Message"
        case subject = "Subject"
    }
}

/// SetUserPoolMfaConfig's request and both MFA-config answers.
struct UserPoolMfaConfigWire: Codable, Sendable, Equatable {
    var userPoolId: String?
    var smsMfaConfiguration: SmsMfaConfigWire?
    var softwareTokenMfaConfiguration: SoftwareTokenMfaConfigWire?
    var emailMfaConfiguration: EmailMfaConfigWire?
    var mfaConfiguration: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case smsMfaConfiguration = "SmsMfaConfiguration"
        case softwareTokenMfaConfiguration = "SoftwareTokenMfaConfiguration"
        case emailMfaConfiguration = "EmailMfaConfiguration"
        case mfaConfiguration = "MfaConfiguration"
    }
}

/// A password policy in an update: members left out take Cognito's defaults.
struct PasswordPolicyUpdateWire: Codable, Sendable {
    var minimumLength: Int?
    var requireUppercase: Bool?
    var requireLowercase: Bool?
    var requireNumbers: Bool?
    var requireSymbols: Bool?
    var passwordHistorySize: Int?
    var temporaryPasswordValidityDays: Int?

    enum CodingKeys: String, CodingKey {
        case minimumLength = "MinimumLength"
        case requireUppercase = "RequireUppercase"
        case requireLowercase = "RequireLowercase"
        case requireNumbers = "RequireNumbers"
        case requireSymbols = "RequireSymbols"
        case passwordHistorySize = "PasswordHistorySize"
        case temporaryPasswordValidityDays = "TemporaryPasswordValidityDays"
    }
}

struct UserPoolPoliciesUpdateWire: Codable, Sendable {
    var passwordPolicy: PasswordPolicyUpdateWire?
    var signInPolicy: SignInPolicyWire?

    enum CodingKeys: String, CodingKey {
        case passwordPolicy = "PasswordPolicy"
        case signInPolicy = "SignInPolicy"
    }
}

/// UpdateUserPool's request: the members handset-cloud keeps (others are accepted and not kept; see README).
struct UpdateUserPoolRequestWire: Codable, Sendable {
    var userPoolId: String
    var policies: UserPoolPoliciesUpdateWire?
    var mfaConfiguration: String?
    var poolName: String?
    var deviceConfiguration: DeviceConfiguration?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case policies = "Policies"
        case mfaConfiguration = "MfaConfiguration"
        case poolName = "PoolName"
        case deviceConfiguration = "DeviceConfiguration"
    }
}

struct SigningCertificateResponseWire: Codable, Sendable {
    var certificate: String

    enum CodingKeys: String, CodingKey {
        case certificate = "Certificate"
    }
}

struct AdminListUserAuthEventsRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var maxResults: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case maxResults = "MaxResults"
        case nextToken = "NextToken"
    }
}

struct ChallengeResponseWire: Codable, Sendable, Equatable {
    var challengeName: String
    var challengeResponse: String

    enum CodingKeys: String, CodingKey {
        case challengeName = "ChallengeName"
        case challengeResponse = "ChallengeResponse"
    }
}

struct EventRiskWire: Codable, Sendable, Equatable {
    var riskDecision: String
    var compromisedCredentialsDetected: Bool

    enum CodingKeys: String, CodingKey {
        case riskDecision = "RiskDecision"
        case compromisedCredentialsDetected = "CompromisedCredentialsDetected"
    }
}

/// `AuthEventType`.
struct AuthEventWire: Codable, Sendable, Equatable {
    var eventId: String
    var eventType: String
    var creationDate: Double
    var eventResponse: String
    var eventRisk: EventRiskWire
    var challengeResponses: [ChallengeResponseWire]

    enum CodingKeys: String, CodingKey {
        case eventId = "EventId"
        case eventType = "EventType"
        case creationDate = "CreationDate"
        case eventResponse = "EventResponse"
        case eventRisk = "EventRisk"
        case challengeResponses = "ChallengeResponses"
    }
}

struct AdminListUserAuthEventsResponseWire: Codable, Sendable {
    var authEvents: [AuthEventWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case authEvents = "AuthEvents"
        case nextToken = "NextToken"
    }
}

struct GetTokensFromRefreshTokenRequestWire: Codable, Sendable {
    var refreshToken: String
    var clientId: String
    var clientSecret: String?
    var deviceKey: String?
    var clientMetadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case refreshToken = "RefreshToken"
        case clientId = "ClientId"
        case clientSecret = "ClientSecret"
        case deviceKey = "DeviceKey"
        case clientMetadata = "ClientMetadata"
    }
}

struct GetTokensFromRefreshTokenResponseWire: Codable, Sendable {
    var authenticationResult: AuthenticationResult

    enum CodingKeys: String, CodingKey {
        case authenticationResult = "AuthenticationResult"
    }
}

/// DeleteUserAttributes' request.
struct DeleteUserAttributesRequestWire: Codable, Sendable {
    var accessToken: String
    var userAttributeNames: [String]

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case userAttributeNames = "UserAttributeNames"
    }
}

struct AdminDeleteUserAttributesRequestWire: Codable, Sendable {
    var userPoolId: String
    var username: String
    var userAttributeNames: [String]

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case username = "Username"
        case userAttributeNames = "UserAttributeNames"
    }
}
