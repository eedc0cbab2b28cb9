import Crypto
import Foundation
import HandsetCloudStorage

/// Time-based one-time passwords (RFC 6238): HOTP (RFC 4226) over the count of 30-second steps since 1970.
/// Cognito uses SHA-1 and 6 digits; other algorithms and lengths exist for RFC 6238's test vectors.
public enum TOTP {
    public enum Algorithm: Sendable {
        case sha1, sha256, sha512
    }

    public static let period: TimeInterval = 30

    /// The time step containing `date`.
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    public static func code(secret: [UInt8], step: Int64, digits: Int = 6, algorithm: Algorithm = .sha1) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
            }
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step whose code `code` is, looking one step either side of `date` for clock drift; `nil` when none.
    /// Every candidate is computed and compared, so the time taken does not tell which step matched.
    static func matchingStep(code: String, secret: [UInt8], at date: Date, window: Int64 = 1) -> Int64? {
        guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let current = step(at: date)
        var found: Int64?
        for candidate in (current - window)...(current + window) {
            let expected = TOTP.code(secret: secret, step: candidate)
            if ConstantTime.equals(Array(expected.utf8), Array(code.utf8)), found == nil { found = candidate }
        }
        return found
    }
}
