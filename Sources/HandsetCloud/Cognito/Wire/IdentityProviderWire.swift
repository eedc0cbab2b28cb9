/// Wire types of the identity provider operations and AdminLinkProviderForUser.

/// CreateIdentityProvider and UpdateIdentityProvider (which may leave out the type and details).
struct IdentityProviderRequestWire: Codable, Sendable {
    var userPoolId: String
    var providerName: String
    var providerType: String?
    var providerDetails: [String: String]?
    var attributeMapping: [String: String]?
    var idpIdentifiers: [String]?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case providerName = "ProviderName"
        case providerType = "ProviderType"
        case providerDetails = "ProviderDetails"
        case attributeMapping = "AttributeMapping"
        case idpIdentifiers = "IdpIdentifiers"
    }
}

/// `IdentityProviderType`.
struct IdentityProviderWire: Codable, Sendable, Equatable {
    var userPoolId: String
    var providerName: String
    var providerType: String
    var providerDetails: [String: String]
    var attributeMapping: [String: String]
    var idpIdentifiers: [String]
    var lastModifiedDate: Double
    var creationDate: Double

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case providerName = "ProviderName"
        case providerType = "ProviderType"
        case providerDetails = "ProviderDetails"
        case attributeMapping = "AttributeMapping"
        case idpIdentifiers = "IdpIdentifiers"
        case lastModifiedDate = "LastModifiedDate"
        case creationDate = "CreationDate"
    }
}

struct IdentityProviderResponseWire: Codable, Sendable {
    var identityProvider: IdentityProviderWire

    enum CodingKeys: String, CodingKey {
        case identityProvider = "IdentityProvider"
    }
}

/// DescribeIdentityProvider and DeleteIdentityProvider.
struct IdentityProviderNameRequestWire: Codable, Sendable {
    var userPoolId: String
    var providerName: String

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case providerName = "ProviderName"
    }
}

/// `ProviderDescription`.
struct ProviderDescriptionWire: Codable, Sendable, Equatable {
    var providerName: String
    var providerType: String
    var lastModifiedDate: Double
    var creationDate: Double

    enum CodingKeys: String, CodingKey {
        case providerName = "ProviderName"
        case providerType = "ProviderType"
        case lastModifiedDate = "LastModifiedDate"
        case creationDate = "CreationDate"
    }
}

struct ListIdentityProvidersResponseWire: Codable, Sendable {
    var providers: [ProviderDescriptionWire]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case providers = "Providers"
        case nextToken = "NextToken"
    }
}

/// `ProviderUserIdentifierType`.
struct ProviderUserIdentifierWire: Codable, Sendable, Equatable {
    var providerName: String?
    var providerAttributeName: String?
    var providerAttributeValue: String?

    enum CodingKeys: String, CodingKey {
        case providerName = "ProviderName"
        case providerAttributeName = "ProviderAttributeName"
        case providerAttributeValue = "ProviderAttributeValue"
    }
}

struct AdminLinkProviderForUserRequestWire: Codable, Sendable {
    var userPoolId: String
    var destinationUser: ProviderUserIdentifierWire
    var sourceUser: ProviderUserIdentifierWire

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case destinationUser = "DestinationUser"
        case sourceUser = "SourceUser"
    }
}
