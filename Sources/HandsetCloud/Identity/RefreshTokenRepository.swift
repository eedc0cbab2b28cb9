import Crypto
import Foundation

/// Where refresh tokens live: only their SHA-256, never the token itself.
protocol RefreshTokenRepository: Sendable {
    func store(_ token: StoredRefreshToken) async throws
    func token(hash: String) async throws -> StoredRefreshToken?
}

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

/// Opaque refresh tokens: 32 random bytes, base64url.
enum RefreshTokenSecret {
    static func generate() -> String {
        Base64URL.encode(SecureRandom.bytes(32))
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
