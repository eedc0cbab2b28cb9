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
}
