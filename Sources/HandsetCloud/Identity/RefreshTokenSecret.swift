import Crypto
import Foundation

/// Opaque refresh tokens: 32 random bytes, base64url.
enum RefreshTokenSecret {
    static func generate() -> String {
        SecureRandom.opaqueToken()
    }

    static func hash(_ token: String) -> String {
        HexDigest.sha256(token)
    }
}
