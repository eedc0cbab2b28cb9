import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import Testing

@testable import HandsetCloud

@Suite("TOTP (RFC 6238)")
struct TOTPTests {
    static let sha1Seed = Array("12345678901234567890".utf8)
    static let sha256Seed = Array("12345678901234567890123456789012".utf8)
    static let sha512Seed = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    @Test(
        "RFC 6238 appendix B vectors (8 digits)",
        arguments: [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ])
    func vectors(time: Int, sha1: String, sha256: String, sha512: String) {
        let step = TOTP.step(at: Date(timeIntervalSince1970: TimeInterval(time)))
        #expect(TOTP.code(secret: Self.sha1Seed, step: step, digits: 8, algorithm: .sha1) == sha1)
        #expect(TOTP.code(secret: Self.sha256Seed, step: step, digits: 8, algorithm: .sha256) == sha256)
        #expect(TOTP.code(secret: Self.sha512Seed, step: step, digits: 8, algorithm: .sha512) == sha512)
    }

    @Test("six-digit codes are the last six digits; the window is one step either way")
    func window() {
        let date = Date(timeIntervalSince1970: 59)
        #expect(TOTP.code(secret: Self.sha1Seed, step: 1) == "287082")
        #expect(TOTP.matchingStep(code: "287082", secret: Self.sha1Seed, at: date) == 1)
        let later = Date(timeIntervalSince1970: 59 + 30)
        #expect(TOTP.matchingStep(code: "287082", secret: Self.sha1Seed, at: later) == 1)
        let tooLate = Date(timeIntervalSince1970: 59 + 60)
        #expect(TOTP.matchingStep(code: "287082", secret: Self.sha1Seed, at: tooLate) == nil)
        #expect(TOTP.matchingStep(code: "28708", secret: Self.sha1Seed, at: date) == nil)
        #expect(TOTP.matchingStep(code: "28708a", secret: Self.sha1Seed, at: date) == nil)
    }

    @Test("base32 round trip")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        let secret = Array(repeating: UInt8(7), count: 20)
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }

    @Test("the lockout doubles from 1 s after the fifth failure and stops at 15 minutes")
    func lockoutDurations() {
        let policy = LockoutPolicy.cognito
        #expect((1...4).map { policy.lockDuration(afterFailures: $0) } == [nil, nil, nil, nil])
        #expect(
            (5...16).map { policy.lockDuration(afterFailures: $0) }
                == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
        #expect(policy.lockDuration(afterFailures: 1000) == 900)
    }
}
