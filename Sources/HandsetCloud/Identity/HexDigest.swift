import Crypto
import Foundation

/// SHA-256 as lowercase hex, the form stored for sessions, refresh tokens and codes. Written out by a table rather
/// than `String(format:)` per byte, which cost tens of microseconds per hash on every sign-in step.
enum HexDigest {
    private static let digits = Array("0123456789abcdef".utf8)

    static func sha256(_ text: String) -> String {
        let digest = SHA256.hash(data: Data(text.utf8))
        var hex = [UInt8]()
        hex.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
