import Foundation

/// A refresh token's record.
package struct StoredRefreshToken: Sendable, Equatable {
    /// Hex SHA-256 of the token.
    package var hash: String
    package var sub: String
    package var clientId: String
    package var session: SignInSession
    package var issuedAt: Int
    package var expiresAt: Int
    package var revoked: Bool
    /// When rotation replaced it (it was revoked then); `nil` for a token never rotated.
    package var rotatedAt: Date? = nil

    package init(
        hash: String, sub: String, clientId: String, session: SignInSession, issuedAt: Int, expiresAt: Int,
        revoked: Bool, rotatedAt: Date? = nil
    ) {
        self.hash = hash
        self.sub = sub
        self.clientId = clientId
        self.session = session
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revoked = revoked
        self.rotatedAt = rotatedAt
    }
}
