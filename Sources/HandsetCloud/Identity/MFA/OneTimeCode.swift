import Crypto
import Foundation
import HandsetCloudStorage

/// The six-digit codes sent by SMS or email (sign-up, password reset, SMS_MFA, EMAIL_OTP).
enum OneTimeCode {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: 0..<1_000_000, using: &generator)
        let digits = String(value)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Codes are kept as SHA-256 over the code and what it belongs to, never in clear.
    static func hash(_ code: String, context: String) -> String {
        HexDigest.sha256(context + "\u{0}" + code)
    }

    static func matches(_ code: String, hash expected: String, context: String) -> Bool {
        ConstantTime.equals(Array(hash(code, context: context).utf8), Array(expected.utf8))
    }
}
