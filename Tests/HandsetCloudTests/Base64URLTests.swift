import Foundation
import Testing

@testable import HandsetCloud

@Suite("Base64URL")
struct Base64URLTests {
    /// Foundation's base64 with the URL alphabet and no padding: what the byte-wise coder replaced.
    private static func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("encodes as Foundation does and decodes back, every length up to 70 and every byte value")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let encoded = Base64URL.encode(bytes)
                #expect(encoded == Self.reference(bytes))
                #expect(Base64URL.decode(encoded) == Data(bytes))
                let padded = encoded + String(repeating: "=", count: (4 - encoded.utf8.count % 4) % 4)
                #expect(Base64URL.decode(padded) == Data(bytes))
            }
        }
        let all = (0...255).map(UInt8.init)
        #expect(Base64URL.decode(Base64URL.encode(all)) == Data(all))
    }

    @Test("refuses what is not base64url", arguments: ["a", "abcde", "ab+c", "ab/c", "ab c", "ab=c", "é", "ab\0c"])
    func refuses(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite struct OpaqueTokenTests {
    @Test("a session or refresh token never starts with a dash, which a command line would take for an option")
    func neverALeadingDash() {
        // One plain base64url token in 64 starts with "-": among 2,000 that is all but certain (1 - (63/64)^2000).
        let tokens = (0..<2000).map { _ in SecureRandom.opaqueToken() }
        #expect(tokens.allSatisfy { $0.first != "-" })
        #expect(tokens.allSatisfy { $0.count == 43 && Base64URL.decode($0)?.count == 32 })
        #expect(Set(tokens).count == tokens.count)
    }
}
