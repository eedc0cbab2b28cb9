import Foundation
import HandsetWire
import Testing

@testable import HandsetStore

/// `CanonicalJSON` must write exactly what `JSONValue.encoded()` writes: stored bodies are compared as text.
@Suite struct CanonicalJSONTests {
    /// Characters where a hand-written writer could differ from Foundation's: every ASCII byte (control characters,
    /// quotes, backslash, slash), composed and decomposed accents, characters outside the BMP, the ends of Unicode.
    static let alphabet: [String] =
        (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        + ["é", "e\u{301}", "😀", "\u{FFFD}", "\u{2028}", "ß", "Ω", "\u{E000}", "\u{10FFFF}", "10", "2"]

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    static func string(_ random: inout Generator) -> String {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static func value(_ depth: Int, _ random: inout Generator) -> JSONValue {
        switch Int.random(in: 0...(depth > 2 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(Double(Int.random(in: -100_000...100_000, using: &random)))
        case 3: return .number(Double(Int.random(in: -1000...1000, using: &random)) / 7)
        case 4: return .string(string(&random))
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth + 1, &random) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &random) { members[string(&random)] = value(depth + 1, &random) }
            return .object(members)
        }
    }

    @Test func writesTheSameBytesAsFoundationsEncoder() {
        var random = Generator(state: 16)
        for _ in 0..<5_000 {
            let value = Self.value(0, &random)
            #expect(CanonicalJSON.text(value) == String(decoding: value.encoded(), as: UTF8.self))
        }
    }

    @Test func numbersAtTheEdgesOfExactIntegers() {
        for number in [
            0, -0.0, 1, -1, 9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_992, 1e300, 0.1,
        ] {
            let value: JSONValue = ["n": .number(number), "list": [.number(number)]]
            #expect(CanonicalJSON.text(value) == String(decoding: value.encoded(), as: UTF8.self))
        }
    }
}
