/// Wire types of the pool configuration operations: app clients, the domain, the pool itself.

/// `TokenValidityUnitsType`.
struct TokenValidityUnitsWire: Codable, Sendable, Equatable {
    var accessToken: String?
    var idToken: String?
    var refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case idToken = "IdToken"
        case refreshToken = "RefreshToken"
    }
}

/// CreateUserPoolClient and UpdateUserPoolClient (which names the client and has no `GenerateSecret`).
struct UserPoolClientRequestWire: Codable, Sendable {
    var userPoolId: String
    var clientId: String?
    var clientName: String?
    var generateSecret: Bool?
    var refreshTokenValidity: Int?
    var accessTokenValidity: Int?
    var idTokenValidity: Int?
    var tokenValidityUnits: TokenValidityUnitsWire?
    var explicitAuthFlows: [String]?
    var supportedIdentityProviders: [String]?
    var callbackURLs: [String]?
    var logoutURLs: [String]?
    var defaultRedirectURI: String?
    var allowedOAuthFlows: [String]?
    var allowedOAuthScopes: [String]?
    var allowedOAuthFlowsUserPoolClient: Bool?
    var preventUserExistenceErrors: String?
    var enableTokenRevocation: Bool?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case clientId = "ClientId"
        case clientName = "ClientName"
        case generateSecret = "GenerateSecret"
        case refreshTokenValidity = "RefreshTokenValidity"
        case accessTokenValidity = "AccessTokenValidity"
        case idTokenValidity = "IdTokenValidity"
        case tokenValidityUnits = "TokenValidityUnits"
        case explicitAuthFlows = "ExplicitAuthFlows"
        case supportedIdentityProviders = "SupportedIdentityProviders"
        case callbackURLs = "CallbackURLs"
        case logoutURLs = "LogoutURLs"
        case defaultRedirectURI = "DefaultRedirectURI"
        case allowedOAuthFlows = "AllowedOAuthFlows"
        case allowedOAuthScopes = "AllowedOAuthScopes"
        case allowedOAuthFlowsUserPoolClient = "AllowedOAuthFlowsUserPoolClient"
        case preventUserExistenceErrors = "PreventUserExistenceErrors"
        case enableTokenRevocation = "EnableTokenRevocation"
    }
}

/// `UserPoolClientType`.
struct UserPoolClientWire: Codable, Sendable, Equatable {
    var userPoolId: String
    var clientName: String
    var clientId: String
    var clientSecret: String?
    var lastModifiedDate: Double
    var creationDate: Double
    var refreshTokenValidity: Int
    var accessTokenValidity: Int
    var idTokenValidity: Int
    var tokenValidityUnits: TokenValidityUnitsWire
    var explicitAuthFlows: [String]
    var supportedIdentityProviders: [String]
    var callbackURLs: [String]
    var logoutURLs: [String]
    var defaultRedirectURI: String?
    var allowedOAuthFlows: [String]
    var allowedOAuthScopes: [String]
    var allowedOAuthFlowsUserPoolClient: Bool
    var preventUserExistenceErrors: String
    var enableTokenRevocation: Bool
    var enablePropagateAdditionalUserContextData: Bool
    var authSessionValidity: Int

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case clientName = "ClientName"
        case clientId = "ClientId"
        case clientSecret = "ClientSecret"
        case lastModifiedDate = "LastModifiedDate"
        case creationDate = "CreationDate"
        case refreshTokenValidity = "RefreshTokenValidity"
        case accessTokenValidity = "AccessTokenValidity"
        case idTokenValidity = "IdTokenValidity"
        case tokenValidityUnits = "TokenValidityUnits"
        case explicitAuthFlows = "ExplicitAuthFlows"
        case supportedIdentityProviders = "SupportedIdentityProviders"
        case callbackURLs = "CallbackURLs"
        case logoutURLs = "LogoutURLs"
        case defaultRedirectURI = "DefaultRedirectURI"
        case allowedOAuthFlows = "AllowedOAuthFlows"
        case allowedOAuthScopes = "AllowedOAuthScopes"
        case allowedOAuthFlowsUserPoolClient = "AllowedOAuthFlowsUserPoolClient"
        case preventUserExistenceErrors = "PreventUserExistenceErrors"
        case enableTokenRevocation = "EnableTokenRevocation"
        case enablePropagateAdditionalUserContextData = "EnablePropagateAdditionalUserContextData"
        case authSessionValidity = "AuthSessionValidity"
    }
}

struct UserPoolClientResponseWire: Codable, Sendable {
    var userPoolClient: UserPoolClientWire

    enum CodingKeys: String, CodingKey {
        case userPoolClient = "UserPoolClient"
    }
}

/// DescribeUserPoolClient and DeleteUserPoolClient.
struct UserPoolClientIdRequestWire: Codable, Sendable {
    var userPoolId: String
    var clientId: String

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case clientId = "ClientId"
    }
}

/// ListUserPoolClients and ListIdentityProviders.
struct ListInPoolRequestWire: Codable, Sendable {
    var userPoolId: String
    var maxResults: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case maxResults = "MaxResults"
        case nextToken = "NextToken"
    }
}

struct UserPoolClientDescriptionWire: Codable, Sendable, Equatable {
    var clientId: String
    var userPoolId: String
    var clientName: String

    enum CodingKeys: String, CodingKey {
        case clientId = "ClientId"
        case userPoolId = "UserPoolId"
        case clientName = "ClientName"
    }
}

struct ListUserPoolClientsResponseWire: Codable, Sendable {
    var userPoolClients: [UserPoolClientDescriptionWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPoolClients = "UserPoolClients"
        case nextToken = "NextToken"
    }
}

/// CreateUserPoolDomain (DescribeUserPoolDomain takes `Domain` only).
struct UserPoolDomainRequestWire: Codable, Sendable {
    var domain: String
    var userPoolId: String?
    var managedLoginVersion: Int?

    enum CodingKeys: String, CodingKey {
        case domain = "Domain"
        case userPoolId = "UserPoolId"
        case managedLoginVersion = "ManagedLoginVersion"
    }
}

struct CreateUserPoolDomainResponseWire: Codable, Sendable {
    var managedLoginVersion: Int

    enum CodingKeys: String, CodingKey {
        case managedLoginVersion = "ManagedLoginVersion"
    }
}

/// `DomainDescriptionType`; every member absent for an unknown domain, as Cognito answers.
struct DomainDescriptionWire: Codable, Sendable, Equatable {
    var userPoolId: String?
    var awsAccountId: String?
    var domain: String?
    var s3Bucket: String?
    var cloudFrontDistribution: String?
    var version: String?
    var status: String?
    var managedLoginVersion: Int?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case awsAccountId = "AWSAccountId"
        case domain = "Domain"
        case s3Bucket = "S3Bucket"
        case cloudFrontDistribution = "CloudFrontDistribution"
        case version = "Version"
        case status = "Status"
        case managedLoginVersion = "ManagedLoginVersion"
    }
}

struct DescribeUserPoolDomainResponseWire: Codable, Sendable {
    var domainDescription: DomainDescriptionWire

    enum CodingKeys: String, CodingKey {
        case domainDescription = "DomainDescription"
    }
}

struct UserPoolIdRequestWire: Codable, Sendable {
    var userPoolId: String

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
    }
}

struct PasswordPolicyWire: Codable, Sendable, Equatable {
    var minimumLength: Int
    var requireUppercase: Bool
    var requireLowercase: Bool
    var requireNumbers: Bool
    var requireSymbols: Bool
    var temporaryPasswordValidityDays: Int

    enum CodingKeys: String, CodingKey {
        case minimumLength = "MinimumLength"
        case requireUppercase = "RequireUppercase"
        case requireLowercase = "RequireLowercase"
        case requireNumbers = "RequireNumbers"
        case requireSymbols = "RequireSymbols"
        case temporaryPasswordValidityDays = "TemporaryPasswordValidityDays"
    }
}

struct UserPoolPoliciesWire: Codable, Sendable, Equatable {
    var passwordPolicy: PasswordPolicyWire
    var signInPolicy: SignInPolicyWire?

    enum CodingKeys: String, CodingKey {
        case passwordPolicy = "PasswordPolicy"
        case signInPolicy = "SignInPolicy"
    }
}

/// `SignInPolicyType`: what a choice-based (`USER_AUTH`) sign-in may start with.
struct SignInPolicyWire: Codable, Sendable, Equatable {
    var allowedFirstAuthFactors: [String]?

    enum CodingKeys: String, CodingKey {
        case allowedFirstAuthFactors = "AllowedFirstAuthFactors"
    }
}

/// The parts of `UserPoolType` handset-cloud has.
struct UserPoolWire: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var arn: String
    var policies: UserPoolPoliciesWire
    var lambdaConfig: [String: String]
    var status: String
    var lastModifiedDate: Double
    var creationDate: Double
    var autoVerifiedAttributes: [String]
    var mfaConfiguration: String
    var domain: String?
    var userPoolTags: [String: String]
    var usernameConfiguration: [String: Bool]
    var schemaAttributes: [SchemaAttributeWire]? = nil
    var deviceConfiguration: DeviceConfiguration? = nil

    enum CodingKeys: String, CodingKey {
        case schemaAttributes = "SchemaAttributes"
        case deviceConfiguration = "DeviceConfiguration"
        case id = "Id"
        case name = "Name"
        case arn = "Arn"
        case policies = "Policies"
        case lambdaConfig = "LambdaConfig"
        case status = "Status"
        case lastModifiedDate = "LastModifiedDate"
        case creationDate = "CreationDate"
        case autoVerifiedAttributes = "AutoVerifiedAttributes"
        case mfaConfiguration = "MfaConfiguration"
        case domain = "Domain"
        case userPoolTags = "UserPoolTags"
        case usernameConfiguration = "UsernameConfiguration"
    }
}

struct DescribeUserPoolResponseWire: Codable, Sendable {
    var userPool: UserPoolWire

    enum CodingKeys: String, CodingKey {
        case userPool = "UserPool"
    }
}

struct ListUserPoolsRequestWire: Codable, Sendable {
    var maxResults: Int?
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case maxResults = "MaxResults"
        case nextToken = "NextToken"
    }
}

/// `UserPoolDescriptionType`.
struct UserPoolDescriptionWire: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var lambdaConfig: [String: String]
    var status: String
    var lastModifiedDate: Double
    var creationDate: Double

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case lambdaConfig = "LambdaConfig"
        case status = "Status"
        case lastModifiedDate = "LastModifiedDate"
        case creationDate = "CreationDate"
    }
}

struct ListUserPoolsResponseWire: Codable, Sendable {
    var userPools: [UserPoolDescriptionWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case userPools = "UserPools"
        case nextToken = "NextToken"
    }
}
