import Foundation
import HandsetCloudStorage
import HandsetWire
import JWTKit

/// Checks a third-party provider's ID token (OpenID Connect Core §3.1.3.7): RS256 by a key of the provider's key
/// set named by `kid` (never a default key), `iss` the configured issuer, `aud` the pool's client id at the
/// provider (with `azp` when there are several audiences), `nonce` the one sent, `exp` in the future, `iat` not in
/// the future. A minute of leeway covers clocks that differ.
enum FederatedTokenVerifier {
    static let leeway: TimeInterval = 60

    /// The token's claims, or the check that failed.
    static func verify(
        idToken: String, keySet: Data, issuer: String, clientId: String, nonce: String, now: Date
    ) async throws -> [String: JSONValue] {
        guard CompactJWT.hasCompactShape(idToken) else { throw FederationError.rejectedToken("malformed token") }
        let parts = idToken.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let header = (try? JSONValue.parse(headerData))?.objectValue,
            header["alg"]?.stringValue == "RS256", let kid = header["kid"]?.stringValue, header["crit"] == nil
        else { throw FederationError.rejectedToken("the token is not signed with RS256 and a key id") }
        guard let keys = (try? JSONValue.parse(keySet))?.objectValue?["keys"]?.arrayValue else {
            throw FederationError.providerAnswer("the key set is not JSON")
        }
        guard
            let key = keys.first(where: {
                $0.objectValue?["kid"]?.stringValue == kid && $0.objectValue?["kty"]?.stringValue == "RSA"
            })
        else { throw FederationError.rejectedToken("unknown key") }
        let collection = JWTKeyCollection()
        do {
            let jwks = try JSONDecoder().decode(JWKS.self, from: JSONEncoder().encode(["keys": [key]]))
            try await collection.add(jwks: jwks)
        } catch {
            throw FederationError.providerAnswer("the provider's key cannot be read")
        }
        do {
            _ = try await collection.verify(idToken, as: AnyClaims.self)
        } catch {
            throw FederationError.rejectedToken("bad signature")
        }
        guard let payloadData = Base64URL.decode(parts[1]),
            let claims = (try? JSONValue.parse(payloadData))?.objectValue
        else { throw FederationError.rejectedToken("unreadable claims") }

        let givenIssuer = claims["iss"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard givenIssuer == issuer else { throw FederationError.rejectedToken("wrong issuer") }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let single)?: audiences = [single]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: audiences = []
        }
        guard audiences.contains(clientId) else { throw FederationError.rejectedToken("wrong audience") }
        if audiences.count > 1, claims["azp"]?.stringValue != clientId {
            throw FederationError.rejectedToken("wrong authorized party")
        }
        guard let tokenNonce = claims["nonce"]?.stringValue,
            ConstantTime.equals(Array(tokenNonce.utf8), Array(nonce.utf8))
        else { throw FederationError.rejectedToken("wrong nonce") }
        let time = now.timeIntervalSince1970
        guard let expiry = claims["exp"]?.doubleValue, time < expiry + leeway else {
            throw FederationError.rejectedToken("expired")
        }
        if let issuedAt = claims["iat"]?.doubleValue, issuedAt > time + leeway {
            throw FederationError.rejectedToken("issued in the future")
        }
        guard let sub = claims["sub"]?.stringValue, !sub.isEmpty, sub.utf8.count <= 255 else {
            throw FederationError.rejectedToken("no subject")
        }
        return claims
    }

    /// Any payload: the claims are checked above, against the injected clock.
    private struct AnyClaims: JWTPayload {
        init(from decoder: any Decoder) throws {}
        func encode(to encoder: any Encoder) throws {}
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}
