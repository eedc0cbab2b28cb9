import Foundation

/// A refresh token's record.
struct StoredRefreshToken: Sendable, Equatable {
    /// Hex SHA-256 of the token.
    var hash: String
    var sub: String
    var clientId: String
    var session: SignInSession
    var issuedAt: Int
    var expiresAt: Int
    var revoked: Bool
    /// When rotation replaced it (it was revoked then); `nil` for a token never rotated.
    var rotatedAt: Date? = nil
}
