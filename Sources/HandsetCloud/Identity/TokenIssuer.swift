import Foundation
import HandsetCloudStorage
import JWTKit

/// Signs the pool's ID and access tokens (RS256, with the key's kid in the header).
struct TokenIssuer: Sendable {
    let keys: SigningKeyring
    let issuer: Issuer
    let lifetimes: TokenLifetimes
    let now: @Sendable () -> Date

    /// A new ID and access token for one sign-in (or a refresh of it).
    func issueTokens(for user: PoolUser, clientId: String, session: SignInSession) async throws -> IssuedTokens {
        let issuedAt = Int(now().timeIntervalSince1970)
        let issuer = self.issuer.value
        let idToken = IDTokenClaims(
            sub: user.sub, aud: clientId, authTime: session.authTime, iat: issuedAt,
            exp: issuedAt + lifetimes.idTokenSeconds, iss: issuer, email: user.email,
            emailVerified: user.email == nil ? nil : user.emailVerified, cognitoUsername: user.username,
            cognitoGroups: user.groups.isEmpty ? nil : user.groups, jti: UUID().uuidString.lowercased(),
            originJti: session.originJti, eventId: session.eventId,
            customAttributes: user.attributes.filter { $0.key.hasPrefix(IDTokenClaims.customPrefix) })
        let accessToken = AccessTokenClaims(
            sub: user.sub, clientId: clientId, username: user.username, authTime: session.authTime, iat: issuedAt,
            exp: issuedAt + lifetimes.accessTokenSeconds, iss: issuer, jti: UUID().uuidString.lowercased(),
            originJti: session.originJti, eventId: session.eventId)
        return IssuedTokens(
            idToken: try await keys.sign(idToken),
            accessToken: try await keys.sign(accessToken),
            expiresIn: lifetimes.accessTokenSeconds)
    }
}
/// A signed ID and access token.
struct IssuedTokens: Sendable {
    var idToken: String
    var accessToken: String
    var expiresIn: Int
}
