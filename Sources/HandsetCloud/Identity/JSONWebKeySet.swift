/// `GET /<userPoolId>/.well-known/jwks.json`.
struct JSONWebKeySet: Codable, Sendable, Equatable {
    var keys: [PublicJSONWebKey]
}
