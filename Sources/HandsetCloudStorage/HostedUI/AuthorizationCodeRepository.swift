import Foundation

/// An authorization code as the token endpoint will check it: bound to the client, the exact redirect URI and
/// the PKCE challenge it was issued for, and valid for 5 minutes, once.
package struct AuthorizationCodeGrant: Sendable, Equatable {
    /// SHA-256 (hex) of the code; the code itself is never stored.
    package var codeHash: String
    package var clientId: String
    package var redirectURI: String
    /// The S256 `code_challenge`; `nil` only for a client with a secret that sent none.
    package var codeChallenge: String?
    package var sub: String
    package var scopes: [String]
    package var nonce: String?
    package var authTime: Int
    package var createdAt: Date
    package var expiresAt: Date

    package static let lifetime: TimeInterval = 5 * 60

    package init(
        codeHash: String, clientId: String, redirectURI: String, codeChallenge: String?, sub: String, scopes: [String],
        nonce: String?, authTime: Int, createdAt: Date, expiresAt: Date
    ) {
        self.codeHash = codeHash
        self.clientId = clientId
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.sub = sub
        self.scopes = scopes
        self.nonce = nonce
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What presenting a code at the token endpoint found.
package enum CodeRedemption: Sendable, Equatable {
    /// The first presentation of a live code: it is used up now.
    case redeemed(AuthorizationCodeGrant)
    /// A code presented again: refused, and the sign-in the first presentation created (if any) is ended
    /// (RFC 6749 §4.1.2: "SHOULD revoke all tokens previously issued based on that authorization code").
    case reused(originJti: String?)
    /// Unknown or expired.
    case invalid
}

/// Authorization codes between `/oauth2/authorize` and `/oauth2/token`, shared by every instance.
package protocol AuthorizationCodeRepository: Sendable {
    func store(_ grant: AuthorizationCodeGrant) async throws
    /// Uses the code up, atomically: of concurrent presentations on any instance exactly one redeems it.
    func redeem(codeHash: String, now: Date) async throws -> CodeRedemption
    /// Remembers which sign-in a redeemed code created, for revoking it if the code comes back.
    func noteSignIn(codeHash: String, originJti: String) async throws
    func purge(before date: Date) async throws
}

/// The OAuth facts of one sign-in (all tokens sharing an `origin_jti`): the scopes granted, which refreshes keep.
package struct OAuthSignIn: Sendable, Equatable {
    package var originJti: String
    package var clientId: String
    package var scopes: [String]
    package var expiresAt: Date

    package init(originJti: String, clientId: String, scopes: [String], expiresAt: Date) {
        self.originJti = originJti
        self.clientId = clientId
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

package protocol OAuthSignInRepository: Sendable {
    func record(_ signIn: OAuthSignIn) async throws
    func signIn(originJti: String) async throws -> OAuthSignIn?
    func purge(before date: Date) async throws
}
