import Foundation
import Hummingbird

/// The pool's public discovery documents: JWKS and OpenID configuration, under `/<userPoolId>/.well-known/`.
struct WellKnownController: Sendable {
    let userPoolId: String
    let issuer: Issuer
    let keys: SigningKeyring
    /// Where the authorization server answers (the cloud's public address).
    let endpointBase: @Sendable () -> String

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.get("\(userPoolId)/.well-known/jwks.json") { request, context in
            context.requestLog.function = "jwks"
            return try Self.json(keys.current.keySet)
        }
        router.get("\(userPoolId)/.well-known/openid-configuration") { request, context in
            context.requestLog.function = "openid-configuration"
            return try Self.json(OpenIDConfiguration.pool(issuer: self.issuer.value, base: endpointBase()))
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
