/// One entry of a JWKS document.
struct PublicJSONWebKey: Codable, Sendable, Equatable {
    var alg: String
    var e: String
    var kid: String
    var kty: String
    var n: String
    var use: String
}
