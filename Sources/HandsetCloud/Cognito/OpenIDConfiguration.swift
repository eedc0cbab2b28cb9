/// `/.well-known/openid-configuration`, the fields a token verifier needs.
struct OpenIDConfiguration: Codable, Sendable, Equatable {
    var issuer: String
    var jwksURI: String
    var idTokenSigningAlgValuesSupported: [String]
    var subjectTypesSupported: [String]
    var responseTypesSupported: [String]

    enum CodingKeys: String, CodingKey {
        case issuer
        case jwksURI = "jwks_uri"
        case idTokenSigningAlgValuesSupported = "id_token_signing_alg_values_supported"
        case subjectTypesSupported = "subject_types_supported"
        case responseTypesSupported = "response_types_supported"
    }
}
