import Foundation
import HandsetCloudStorage
import HandsetWire
import JWTKit

/// Checks the access tokens that Cognito's own operations take (GetUser, ChangePassword, GlobalSignOut, ...): RS256
/// by the pool's kid, issuer, `token_use` access, a known client, expiry, and that the sign-in it belongs to has not
/// been signed out (GlobalSignOut and RevokeToken revoke access tokens for these operations, as Cognito does; the
/// REST API's authorizer, like API Gateway's, only checks signature and expiry).
struct AccessTokenVerifier: Sendable {
    let keys: SigningKeyring
    let issuer: Issuer
    let clientIds: KnownClients
    let store: any IdentityRepository
    let now: @Sendable () -> Date

    struct Verified: Sendable {
        var sub: String
        var clientId: String
        var originJti: String
        var scopes: [String]
        /// The token's `device_key`: the device its sign-in was made on.
        var deviceKey: String? = nil
    }

    /// The sign-in behind a live access token that carries `scope` (Cognito's own operations need
    /// `aws.cognito.signin.user.admin`; `/oauth2/userInfo` needs `openid`).
    func verify(_ token: String, requiring scope: String = TokenIssuer.apiScope) async throws -> Verified {
        guard let header = Self.header(of: token), header.alg == "RS256", let kid = header.kid
        else { throw CognitoError.invalidAccessToken }
        let keys = await self.keys.state(verifying: kid)
        guard keys.keyIDs.contains(kid) else { throw CognitoError.invalidAccessToken }
        let claims: Claims
        do {
            claims = try await keys.collection.verify(token, as: Claims.self)
        } catch {
            throw CognitoError.invalidAccessToken
        }
        guard claims.tokenUse == "access", claims.iss == issuer.value, let clientId = claims.clientId,
            clientIds.contains(clientId), let sub = claims.sub, let expiry = claims.exp,
            let originJti = claims.originJti
        else { throw CognitoError.invalidAccessToken }
        guard now().timeIntervalSince1970 < expiry else { throw CognitoError.expiredAccessToken }
        guard (claims.scope ?? "").split(separator: " ").contains(Substring(scope)) else {
            throw CognitoError.notAuthorized("Access Token does not have required scopes")
        }
        guard try await store.isSignInActive(originJti: originJti) else { throw CognitoError.revokedAccessToken }
        return Verified(
            sub: sub, clientId: clientId, originJti: originJti,
            scopes: (claims.scope ?? "").split(separator: " ").map(String.init), deviceKey: claims.deviceKey)
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    private static func header(of token: String) -> Header? {
        guard CompactJWT.hasCompactShape(token) else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[0]) else { return nil }
        return try? JSONValueDecoder().decode(Header.self, from: data)
    }

    private struct Claims: JWTPayload {
        var sub: String?
        var iss: String?
        var clientId: String?
        var tokenUse: String?
        var exp: Double?
        var originJti: String?
        var scope: String?
        var deviceKey: String?

        enum CodingKeys: String, CodingKey {
            case sub, iss, exp, scope
            case clientId = "client_id"
            case tokenUse = "token_use"
            case originJti = "origin_jti"
            case deviceKey = "device_key"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}
