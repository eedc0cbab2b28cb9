import Foundation
import HandsetFuzzing
import HandsetWire
import JWTKit

@testable import HandsetCloud

/// What a third-party OpenID provider sends the pool during federation: its discovery document, the ID token
/// from its token endpoint (as text, and as arbitrary claims behind a valid signature by the provider's key), and
/// the claims the attribute mapping reads. The first byte picks which.
enum OIDCFuzzing {
    static let issuer = "https://idp.example/tenant"
    static let clientId = "pool-at-provider"
    static let nonce = "n0nce-of-this-sign-in"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct Setup: Sendable {
        let key: SigningKey
        let keys: JWTKeyCollection
        let keySet: Data
    }

    static let setup: Setup = runBlocking {
        let key = try! SigningKey.generate()
        let keySet = try! JSONEncoder().encode(JSONWebKeySet(keys: [try! key.publicJWK()]))
        return Setup(key: key, keys: await key.keyCollection(), keySet: keySet)
    }

    static let target = FuzzTarget("oidc") { data in
        guard let selector = data.first else { return }
        let rest = Data(data.dropFirst())
        switch selector % 4 {
        case 0:
            guard let metadata = try? OIDCProviderMetadata.parse(rest, expectedIssuer: issuer) else { return }
            for url in [metadata.authorizationEndpoint, metadata.tokenEndpoint, metadata.jwksURI] {
                FuzzCheck.that(url.scheme == "https" || url.scheme == "http", "an endpoint that is not http(s)")
            }
        case 1:
            let setup = setup
            let token = String(decoding: rest, as: UTF8.self)
            let accepted = runBlocking {
                (try? await FederatedTokenVerifier.verify(
                    idToken: token, keySet: setup.keySet, issuer: issuer, clientId: clientId, nonce: nonce, now: now))
                    != nil
            }
            // Nothing but a token signed by the provider's key gets through, and the fuzzer has no such token.
            FuzzCheck.that(!accepted, "accepted a token nobody signed: \(token)")
        case 2:
            signedClaims(rest)
        default:
            guard let claims = (try? JSONValue.parse(rest))?.objectValue else { return }
            let mapping = Dictionary(uniqueKeysWithValues: claims.keys.prefix(20).map { ("custom:" + $0, $0) })
            let attributes = FederationService.mappedAttributes(
                mapping.merging(["username": "sub", "sub": "sub"]) { first, _ in first }, claims: claims)
            FuzzCheck.that(
                !attributes.contains { $0.name == "username" || $0.name == "sub" }, "mapped the pool's own identity")
        }
    }

    /// Arbitrary claims signed by the provider's key: what passes has the right issuer, audience, nonce and time.
    static func signedClaims(_ body: Data) {
        guard let claims = try? JSONValue.parse(body), case .object(let object) = claims else { return }
        let setup = setup
        let result: [String: JSONValue]? = runBlocking {
            guard
                let token = try? await setup.keys.sign(
                    JWTFuzzing.RawClaims(claims), kid: JWKIdentifier(string: setup.key.keyID))
            else { return nil }
            return try? await FederatedTokenVerifier.verify(
                idToken: token, keySet: setup.keySet, issuer: issuer, clientId: clientId, nonce: nonce, now: now)
        }
        guard result != nil else { return }
        let givenIssuer = object["iss"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        FuzzCheck.that(givenIssuer == issuer, "accepted another issuer")
        FuzzCheck.that(object["nonce"]?.stringValue == nonce, "accepted another nonce")
        let audiences: [String] =
            object["aud"]?.stringValue.map { [$0] } ?? object["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
        FuzzCheck.that(audiences.contains(clientId), "accepted another audience")
        let expiry = object["exp"]?.doubleValue ?? 0
        FuzzCheck.that(now.timeIntervalSince1970 < expiry + FederatedTokenVerifier.leeway, "accepted an expired token")
        FuzzCheck.that(object["sub"]?.stringValue?.isEmpty == false, "accepted a token without a subject")
    }
}
