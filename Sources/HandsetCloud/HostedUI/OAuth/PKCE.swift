import Crypto
import Foundation
import HandsetCloudStorage

/// Proof Key for Code Exchange (RFC 7636), S256 only: the code is bound to a challenge, and only the holder of the
/// verifier behind it can redeem the code.
enum PKCE {
    /// A verifier or challenge: 43 to 128 of `[A-Za-z0-9-._~]` (RFC 7636 §4.1; an S256 challenge is 43).
    static func isWellFormed(_ value: String) -> Bool {
        let count = value.utf8.count
        guard (43...128).contains(count) else { return false }
        return value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
    }

    /// BASE64URL(SHA256(ASCII(verifier))), unpadded.
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Whether `verifier` is the one behind `challenge`, compared in constant time.
    static func matches(verifier: String, challenge: String) -> Bool {
        guard isWellFormed(verifier) else { return false }
        return ConstantTime.equals(Array(Self.challenge(for: verifier).utf8), Array(challenge.utf8))
    }

    /// A fresh verifier: 32 random bytes, base64url (43 characters).
    static func newVerifier() -> String {
        Base64URL.encode(SecureRandom.bytes(32))
    }
}
