import Crypto
import Foundation
import HandsetCloudStorage
import JWTKit

/// Signs the pool's ID and access tokens (RS256, with the key's kid in the header).
///
/// A sign-in made through the OAuth authorization server (managed login, the device flow) has its granted scopes
/// recorded by `origin_jti`; every token of that sign-in, refreshes included and whichever API refreshes it,
/// carries them. A user with linked provider identities gets Cognito's `identities` claim.
struct TokenIssuer: Sendable {
    let keys: SigningKeyring
    let issuer: Issuer
    /// The lifetimes of a client's tokens (its own, else the pool's), read from the live configuration.
    let lifetimes: @Sendable (_ clientId: String) -> TokenLifetimes
    let now: @Sendable () -> Date
    var signIns: (any OAuthSignInRepository)? = nil
    var identities: (any LinkedIdentityRepository)? = nil
    /// Where the user's groups are read, for the roles they name.
    var groups: (any UserRepository)? = nil

    /// The scope of access tokens issued through Cognito's API: its own user operations.
    static let apiScope = "aws.cognito.signin.user.admin"

    /// A new ID and access token for one sign-in (or a refresh of it); `nonce` only when a code is redeemed,
    /// `deviceKey` when the sign-in was made on a tracked device.
    func issueTokens(
        for user: PoolUser, clientId: String, session: SignInSession, nonce: String? = nil, deviceKey: String? = nil
    ) async throws -> IssuedTokens {
        let issuedAt = Int(now().timeIntervalSince1970)
        let issuer = self.issuer.value
        let lifetimes = self.lifetimes(clientId)
        let grant = try await signIns?.signIn(originJti: session.originJti)
        let linked = try await identities?.identities(of: user.sub) ?? []
        let groupRecords = user.groups.isEmpty ? [] : try await groups?.groups(of: user.sub) ?? []
        let roles = GroupRoles.roles(of: groupRecords)
        let accessToken = try await keys.sign(
            AccessTokenClaims(
                sub: user.sub, clientId: clientId, scope: grant?.scopes.joined(separator: " ") ?? Self.apiScope,
                username: user.username, authTime: session.authTime, iat: issuedAt,
                exp: issuedAt + lifetimes.accessTokenSeconds, iss: issuer, jti: UUID().uuidString.lowercased(),
                originJti: session.originJti, eventId: session.eventId, deviceKey: deviceKey))
        let idToken = IDTokenClaims(
            sub: user.sub, aud: clientId, authTime: session.authTime, iat: issuedAt,
            exp: issuedAt + lifetimes.idTokenSeconds, iss: issuer, email: user.email,
            emailVerified: user.email == nil ? nil : user.emailVerified, cognitoUsername: user.username,
            cognitoGroups: user.groups.isEmpty ? nil : user.groups, cognitoRoles: roles.isEmpty ? nil : roles,
            cognitoPreferredRole: GroupRoles.preferredRole(of: groupRecords), jti: UUID().uuidString.lowercased(),
            originJti: session.originJti, eventId: session.eventId, nonce: nonce,
            customAttributes: user.attributes.filter { $0.key.hasPrefix(IDTokenClaims.customPrefix) },
            identities: linked.isEmpty ? nil : linked.map(IdentityClaim.init),
            atHash: grant.map { _ in
                Self.accessTokenHash(accessToken)
            })
        return IssuedTokens(
            idToken: try await keys.sign(idToken), accessToken: accessToken,
            expiresIn: lifetimes.accessTokenSeconds, scopes: grant?.scopes)
    }

    /// An access token for an app client itself (the client credentials grant): no user, the client's own scopes.
    func issueClientToken(clientId: String, scopes: [String]) async throws -> (token: String, expiresIn: Int) {
        let issuedAt = Int(now().timeIntervalSince1970)
        let lifetime = lifetimes(clientId).accessTokenSeconds
        let claims = ClientAccessTokenClaims(
            sub: clientId, clientId: clientId, scope: scopes.joined(separator: " "), authTime: issuedAt, iat: issuedAt,
            exp: issuedAt + lifetime, iss: issuer.value, jti: UUID().uuidString.lowercased())
        return (try await keys.sign(claims), lifetime)
    }

    /// OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url.
    static func accessTokenHash(_ accessToken: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(accessToken.utf8))).prefix(16))
    }
}

/// A signed ID and access token.
struct IssuedTokens: Sendable {
    var idToken: String
    var accessToken: String
    var expiresIn: Int
    /// The OAuth scopes of the sign-in; `nil` for a sign-in through Cognito's API.
    var scopes: [String]? = nil
}
