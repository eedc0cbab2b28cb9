import HandsetCloudStorage
import JWTKit

/// The claims of a Cognito ID token.
struct IDTokenClaims: JWTPayload, Equatable {
    var sub: String
    var aud: String
    var tokenUse: String = "id"
    var authTime: Int
    var iat: Int
    var exp: Int
    var iss: String
    var email: String?
    var emailVerified: Bool?
    var cognitoUsername: String
    /// Omitted when the user is in no group, as Cognito does.
    var cognitoGroups: [String]?
    /// The roles of the user's groups, and the one their lowest-precedence group names (`GroupRoles`).
    var cognitoRoles: [String]? = nil
    var cognitoPreferredRole: String? = nil
    var jti: String
    var originJti: String
    var eventId: String
    /// The `nonce` of the authorization request, in tokens redeemed from its code.
    var nonce: String? = nil
    /// The user's `custom:*` attributes, each a claim of its own, as Cognito puts them in ID tokens.
    var customAttributes: [String: String] = [:]
    /// The provider identities linked to the user (federated sign-in), as Cognito writes them.
    var identities: [IdentityClaim]? = nil
    /// The access token's hash, in tokens issued by the token endpoint.
    var atHash: String? = nil

    enum CodingKeys: String, CodingKey {
        case sub, aud, iat, exp, iss, email, jti, nonce, identities
        case atHash = "at_hash"
        case tokenUse = "token_use"
        case authTime = "auth_time"
        case emailVerified = "email_verified"
        case cognitoUsername = "cognito:username"
        case cognitoGroups = "cognito:groups"
        case cognitoRoles = "cognito:roles"
        case cognitoPreferredRole = "cognito:preferred_role"
        case originJti = "origin_jti"
        case eventId = "event_id"
    }

    /// Claims are checked by `IDTokenVerifier` against the injected clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// One entry of Cognito's `identities` claim: strings where Cognito writes strings (`primary`, `dateCreated`).
struct IdentityClaim: Codable, Sendable, Equatable {
    var userId: String
    var providerName: String
    var providerType: String
    var issuer: String?
    var primary: String
    var dateCreated: String

    init(_ identity: LinkedIdentity) {
        userId = identity.providerUserId
        providerName = identity.providerName
        providerType = identity.providerType
        issuer = nil
        primary = "true"
        dateCreated = String(Int64(identity.linkedAt.timeIntervalSince1970 * 1000))
    }

    enum CodingKeys: String, CodingKey {
        case userId, providerName, providerType, issuer, primary, dateCreated
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(providerName, forKey: .providerName)
        try container.encode(providerType, forKey: .providerType)
        // Cognito writes an explicit null here.
        try container.encode(issuer, forKey: .issuer)
        try container.encode(primary, forKey: .primary)
        try container.encode(dateCreated, forKey: .dateCreated)
    }
}
