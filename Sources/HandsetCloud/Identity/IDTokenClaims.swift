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
    var jti: String
    var originJti: String
    var eventId: String
    /// The user's `custom:*` attributes, each a claim of its own, as Cognito puts them in ID tokens.
    var customAttributes: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case sub, aud, iat, exp, iss, email, jti
        case tokenUse = "token_use"
        case authTime = "auth_time"
        case emailVerified = "email_verified"
        case cognitoUsername = "cognito:username"
        case cognitoGroups = "cognito:groups"
        case originJti = "origin_jti"
        case eventId = "event_id"
    }

    /// Claims are checked by `IDTokenVerifier` against the injected clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
