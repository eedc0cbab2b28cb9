import JWTKit

/// The claims of a Cognito access token (no `aud`: the client is named by `client_id`).
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: String
    var clientId: String
    var tokenUse: String = "access"
    var scope: String = TokenIssuer.apiScope
    var username: String
    var authTime: Int
    var iat: Int
    var exp: Int
    var iss: String
    var jti: String
    var originJti: String
    var eventId: String
    /// The device the sign-in was made on (Cognito's `device_key`), when the pool tracks devices.
    var deviceKey: String? = nil

    enum CodingKeys: String, CodingKey {
        case sub, scope, username, iat, exp, iss, jti
        case clientId = "client_id"
        case tokenUse = "token_use"
        case authTime = "auth_time"
        case originJti = "origin_jti"
        case eventId = "event_id"
        case deviceKey = "device_key"
    }

    /// Claims are checked by whoever accepts the token, against the injected clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The claims of an access token issued to an app client itself (client credentials): `sub` is the client.
struct ClientAccessTokenClaims: JWTPayload, Equatable {
    var sub: String
    var clientId: String
    var tokenUse: String = "access"
    var scope: String
    var authTime: Int
    var iat: Int
    var exp: Int
    var iss: String
    var jti: String
    var version: Int = 2

    enum CodingKeys: String, CodingKey {
        case sub, scope, iat, exp, iss, jti, version
        case clientId = "client_id"
        case tokenUse = "token_use"
        case authTime = "auth_time"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
