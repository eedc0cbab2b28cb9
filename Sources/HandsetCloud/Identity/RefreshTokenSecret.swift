import Crypto
import Foundation

/// Opaque refresh tokens: 32 random bytes, base64url.
enum RefreshTokenSecret {
    static func generate() -> String {
        SecureRandom.opaqueToken()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
