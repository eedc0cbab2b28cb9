import HandsetCloudStorage
/// The token endpoint's answer (RFC 6749 §5.1): `id_token` only when `openid` was granted, `refresh_token` only
/// for a new sign-in (or a rotation).
struct OAuthTokenResponse: Encodable, Sendable, Equatable {
    var idToken: String?
    var accessToken: String
    var refreshToken: String?
    var expiresIn: Int
    var tokenType = "Bearer"

    enum CodingKeys: String, CodingKey {
        case idToken = "id_token"
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
        case tokenType = "token_type"
    }
}

/// The device authorization endpoint's answer (RFC 8628 §3.2).
struct DeviceAuthorizationResponse: Encodable, Sendable, Equatable {
    var deviceCode: String
    var userCode: String
    var verificationURI: String
    var verificationURIComplete: String
    var expiresIn: Int
    var interval: Int

    enum CodingKeys: String, CodingKey {
        case deviceCode = "device_code"
        case userCode = "user_code"
        case verificationURI = "verification_uri"
        case verificationURIComplete = "verification_uri_complete"
        case expiresIn = "expires_in"
        case interval
    }
}
