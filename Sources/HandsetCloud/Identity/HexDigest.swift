import Crypto
import Foundation
import HandsetSRP

/// SHA-256 as lowercase hex, the form stored for sessions, refresh tokens and codes. Written by `SRPHex` (a table)
/// rather than `String(format:)` per byte, which cost tens of microseconds per hash on every sign-in step.
enum HexDigest {
    static func sha256(_ text: String) -> String {
        SRPHex.encode(Array(SHA256.hash(data: Data(text.utf8))))
    }
}
