import Foundation
import HandsetFuzzing
import HandsetWire
import JWTKit

@testable import HandsetCloud

/// ID-token verification, as the authorizer does it. Each input is tried twice: as token text (every malformed
/// shape must be refused, never trap), and as the claims of a token signed with the pool's key (so that the claim
/// checks meet arbitrary JSON behind a valid signature): a token that passes must satisfy every rule.
enum JWTFuzzing {
    static let issuerBase = "https://cognito-idp.us-east-1.amazonaws.com"
    static let userPoolId = "us-east-1_fuzz"
    static let clientId = "fuzzclient0000000000000000"
    /// Tokens expire after this instant; the verifier's clock stands still here.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct Setup: Sendable {
        let key: SigningKey
        let keys: JWTKeyCollection
        let verifier: IDTokenVerifier
    }

    static let setup: Setup = runBlocking {
        // A key of this process only: the corpus holds claims, not tokens, so it needs no fixed key.
        let key = try! SigningKey.generate()
        let keys = await key.keyCollection()
        let issuer = Issuer(
            override: issuerBase, address: ServerAddress(host: "127.0.0.1", port: 8900), userPoolId: userPoolId)
        let verifier = IDTokenVerifier(
            keys: try! await SigningKeyring.fixed([key]), issuer: issuer, clientIds: [clientId], now: { now })
        return Setup(key: key, keys: keys, verifier: verifier)
    }

    /// A payload that is whatever JSON the input holds.
    struct RawClaims: JWTPayload {
        let value: JSONValue
        init(_ value: JSONValue) { self.value = value }
        init(from decoder: any Decoder) throws { value = try JSONValue(from: decoder) }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static let target = FuzzTarget("jwt") { data in
        let setup = setup
        let text = String(decoding: data, as: UTF8.self)
        _ = runBlocking { await setup.verifier.verify(text) }

        guard let claims = try? JSONValue.parse(data), case .object = claims else { return }
        let result: Result<Identity, TokenRejection>? = runBlocking {
            guard let token = try? await setup.keys.sign(RawClaims(claims), kid: JWKIdentifier(string: setup.key.keyID))
            else { return nil }
            return await setup.verifier.verify(token)
        }
        guard case .success(let identity)? = result else { return }
        FuzzCheck.that(claims["token_use"] == "id", "accepted token_use \(String(describing: claims["token_use"]))")
        FuzzCheck.that(claims["iss"]?.stringValue == "\(issuerBase)/\(userPoolId)", "accepted another issuer")
        FuzzCheck.that(claims["aud"]?.stringValue == clientId, "accepted another audience")
        FuzzCheck.that(identity.sub == claims["sub"]?.stringValue && !identity.sub.isEmpty, "sub mismatch")
        let expiry = claims["exp"]?.doubleValue ?? 0
        FuzzCheck.that(now.timeIntervalSince1970 < expiry, "accepted an expired token")
        if let notBefore = claims["nbf"]?.doubleValue {
            FuzzCheck.that(notBefore <= now.timeIntervalSince1970, "accepted a token before its nbf")
        }
    }
}
