/// Where refresh tokens live: only their SHA-256, never the token itself.
protocol RefreshTokenRepository: Sendable {
    func store(_ token: StoredRefreshToken) async throws
    func token(hash: String) async throws -> StoredRefreshToken?
}
