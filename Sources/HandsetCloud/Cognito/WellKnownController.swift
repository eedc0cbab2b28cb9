import Foundation
import Hummingbird

/// The pool's public discovery documents: JWKS and OpenID configuration, under `/<userPoolId>/.well-known/`.
struct WellKnownController: Sendable {
    let userPoolId: String
    let issuer: Issuer
    let keys: SigningKeyring

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.get("\(userPoolId)/.well-known/jwks.json") { request, context in
            context.requestLog.function = "jwks"
            return try Self.json(keys.current.keySet)
        }
        router.get("\(userPoolId)/.well-known/openid-configuration") { request, context in
            context.requestLog.function = "openid-configuration"
            let issuer = self.issuer.value
            return try Self.json(
                OpenIDConfiguration(
                    issuer: issuer, jwksURI: "\(issuer)/.well-known/jwks.json",
                    idTokenSigningAlgValuesSupported: ["RS256"], subjectTypesSupported: ["public"],
                    responseTypesSupported: ["code", "token"]))
        }
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
