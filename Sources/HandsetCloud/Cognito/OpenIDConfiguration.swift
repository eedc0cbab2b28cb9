/// `<issuer>/.well-known/openid-configuration`: what a token verifier needs, and where the pool's OAuth 2.0
/// authorization server answers (on Cognito, the pool's domain; here, the cloud's own address).
struct OpenIDConfiguration: Codable, Sendable, Equatable {
    var issuer: String
    var jwksURI: String
    var idTokenSigningAlgValuesSupported: [String]
    var subjectTypesSupported: [String]
    var responseTypesSupported: [String]
    var authorizationEndpoint: String?
    var tokenEndpoint: String?
    var userinfoEndpoint: String?
    var revocationEndpoint: String?
    var endSessionEndpoint: String?
    var deviceAuthorizationEndpoint: String?
    var scopesSupported: [String]?
    var grantTypesSupported: [String]?
    var tokenEndpointAuthMethodsSupported: [String]?
    var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case subjectTypesSupported = "subject_types_supported"
        case responseTypesSupported = "response_types_supported"
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case userinfoEndpoint = "userinfo_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case endSessionEndpoint = "end_session_endpoint"
        case deviceAuthorizationEndpoint = "device_authorization_endpoint"
        case scopesSupported = "scopes_supported"
        case grantTypesSupported = "grant_types_supported"
        case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// The pool's document: keys under the issuer, the authorization server under `base`.
    static func pool(issuer: String, base: String) -> OpenIDConfiguration {
        OpenIDConfiguration(
            issuer: issuer, jwksURI: "\(issuer)/.well-known/jwks.json", idTokenSigningAlgValuesSupported: ["RS256"],
            subjectTypesSupported: ["public"], responseTypesSupported: ["code"],
            authorizationEndpoint: "\(base)/oauth2/authorize", tokenEndpoint: "\(base)/oauth2/token",
            userinfoEndpoint: "\(base)/oauth2/userInfo", revocationEndpoint: "\(base)/oauth2/revoke",
            endSessionEndpoint: "\(base)/logout", deviceAuthorizationEndpoint: "\(base)/oauth2/device_authorization",
            scopesSupported: ["openid", "email", "phone", "profile", TokenIssuer.apiScope],
            grantTypesSupported: [
                "authorization_code", "refresh_token", "client_credentials", OAuthService.deviceCodeGrant,
            ],
            tokenEndpointAuthMethodsSupported: ["client_secret_basic", "client_secret_post", "none"],
            codeChallengeMethodsSupported: ["S256"])
    }
}
