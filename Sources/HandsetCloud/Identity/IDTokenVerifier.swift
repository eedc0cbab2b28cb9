import Foundation
import HandsetWire
import JWTKit

/// Checks ID tokens the way API Gateway's Cognito authorizer does: RS256 by the pool's kid, issuer, `token_use` id,
/// a known audience, expiry and not-before.
struct IDTokenVerifier: Sendable {
    let keys: SigningKeyring
    let issuer: Issuer
    let clientIds: KnownClients
    let now: @Sendable () -> Date

    /// The caller's identity, or why the token is refused. Never throws: every failure is a rejection.
    func verify(_ token: String) async -> Result<Identity, TokenRejection> {
        guard let header = Self.header(of: token), header.alg == "RS256", let kid = header.kid,
            !header.hasCriticalExtensions
        else { return .failure(.unauthorized) }
        let keys = await self.keys.state(verifying: kid)
        guard keys.keyIDs.contains(kid) else { return .failure(.unauthorized) }
        let claims: VerifiedClaims
        do {
            claims = try await keys.collection.verify(token, as: VerifiedClaims.self)
        } catch {
            return .failure(.unauthorized)
        }
        guard claims.tokenUse == "id", claims.iss == issuer.value, let audience = claims.aud,
            clientIds.contains(audience), let sub = claims.sub, !sub.isEmpty, let expiry = claims.exp
        else { return .failure(.unauthorized) }
        let now = now().timeIntervalSince1970
        if let notBefore = claims.nbf, now < notBefore { return .failure(.unauthorized) }
        if now >= expiry { return .failure(.expired) }
        return .success(
            Identity(
                sub: sub, username: claims.cognitoUsername ?? sub, email: claims.email,
                groups: claims.cognitoGroups ?? [], clientId: audience, customAttributes: claims.customAttributes))
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
        var crit: JSONValueIgnored?

        var hasCriticalExtensions: Bool { crit != nil }
    }

    /// Any JSON value, decoded only to learn that it is present.
    private struct JSONValueIgnored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    private static func header(of token: String) -> Header? {
        guard CompactJWT.hasCompactShape(token) else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), let data = Base64URL.decode(parts[0]) else {
            return nil
        }
        return try? JSONValueDecoder().decode(Header.self, from: data)
    }
}
/// The claims the authorizer reads; all optional, so a token missing one is refused rather than undecodable.
private struct VerifiedClaims: JWTPayload {
    var sub: String?
    var aud: String?
    var iss: String?
    var tokenUse: String?
    var exp: Double?
    var nbf: Double?
    var email: String?
    var cognitoUsername: String?
    var cognitoGroups: [String]?
    var customAttributes: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case sub, aud, iss, exp, nbf, email
        case tokenUse = "token_use"
        case cognitoUsername = "cognito:username"
        case cognitoGroups = "cognito:groups"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decodeIfPresent(String.self, forKey: .sub)
        aud = try container.decodeIfPresent(String.self, forKey: .aud)
        iss = try container.decodeIfPresent(String.self, forKey: .iss)
        tokenUse = try container.decodeIfPresent(String.self, forKey: .tokenUse)
        exp = try container.decodeIfPresent(Double.self, forKey: .exp)
        nbf = try container.decodeIfPresent(Double.self, forKey: .nbf)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        cognitoUsername = try container.decodeIfPresent(String.self, forKey: .cognitoUsername)
        cognitoGroups = try container.decodeIfPresent([String].self, forKey: .cognitoGroups)
        customAttributes = try IDTokenClaims.customAttributes(from: decoder)
    }

    /// Checked by `IDTokenVerifier` against the injected clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
