import Foundation
import Testing

@testable import HandsetWire

@Suite("JSON parsing of outside input")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    @Test("every kind of value, escapes and surrogate pairs")
    func values() throws {
        let value = try parse(
            #" { "a" : [1, -0.5, 2e3, true, false, null], "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {} } "#)
        #expect(value["a"] == [1, -0.5, 2000, true, false, nil])
        #expect(value["s"] == "x\"\\/\u{08}\u{0C}\n\r\t\u{E9}\u{1F600}")
        #expect(value["o"] == .object([:]))
        #expect(try parse("\"plain\"") == "plain")
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{\"k\":1,\"k\":2}") == ["k": 2])
    }

    @Test(
        "malformed input is an error, never a crash",
        arguments: [
            "", " ", "[", "]", "{", "{\"a\"}", "{\"a\":}", "[1,]", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "tru",
            "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{01}b\"", "1e999", "-1e999",
            "[1]x", "{\"a\":1}}", "\u{FEFF}{}", "NaN", "Infinity",
        ])
    func malformed(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22])) }
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }
    }

    @Test("nesting deeper than the cap is refused: the 32 KB body of nested arrays from issue 12")
    func depthCap() throws {
        let limit = JSONParser.defaultMaximumDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try parse(atLimit).nestingDepth == limit)
        let overLimit = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(Data(overLimit.utf8)) }
        // The reproduction: 16,384 opening brackets (32 KB with their closers) took ~19 s of CPU through
        // Foundation's decoder and `try?` at every level; the parser stops at the cap.
        let attack = String(repeating: "[", count: 16_384) + String(repeating: "]", count: 16_384)
        do {
            _ = try JSONParser().parse(Data(attack.utf8))
            Issue.record("a 16,384-deep array was accepted")
        } catch {
            #expect(error.offset == limit)
        }
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser().parse(Data(objects.utf8)) }
    }

    @Test("a wide document (many values, little nesting) parses whole")
    func wide() throws {
        let items = (0..<20_000).map { "{\"i\":\($0),\"s\":\"v\($0)\"}" }.joined(separator: ",")
        let value = try parse("[" + items + "]")
        #expect(value.arrayValue?.count == 20_000)
        #expect(value.arrayValue?.last?["s"] == "v19999")
    }
}

@Suite("Decoding wire types from parsed values")
struct JSONValueDecoderTests {
    struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var ratio: Double?
        var tags: [String]
        var body: JSONValue?
        var nested: [String: [Int]]
        var data: Data?
    }

    @Test("decodes what JSONDecoder decodes, and keeps JSONValue members as they are")
    func sameAsFoundation() throws {
        let text = #"""
            {"name":"n","count":3,"ratio":null,"tags":["a","b"],"body":{"deep":[1,{"x":null}]},
             "nested":{"k":[1,2]},"data":"AAEC","extra":true}
            """#
        let ours = try JSONValueDecoder().decode(Sample.self, from: Data(text.utf8))
        let theirs = try JSONDecoder().decode(Sample.self, from: Data(text.utf8))
        #expect(ours == theirs)
        #expect(ours.body == ["deep": [1, ["x": nil]]])
        #expect(ours.data == Data([0, 1, 2]))
    }

    @Test("errors name the same coding paths as JSONDecoder's")
    func errors() throws {
        func error(_ text: String) -> DecodingError? {
            do {
                _ = try JSONValueDecoder().decode(Sample.self, from: Data(text.utf8))
                return nil
            } catch let error as DecodingError {
                return error
            } catch {
                return nil
            }
        }
        guard case .keyNotFound(let key, _)? = error(#"{"count":1,"tags":[],"nested":{}}"#) else {
            Issue.record("expected keyNotFound")
            return
        }
        #expect(key.stringValue == "name")
        guard case .typeMismatch(_, let context)? = error(#"{"name":"n","count":"1","tags":[],"nested":{}}"#) else {
            Issue.record("expected typeMismatch")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["count"])
        guard case .valueNotFound(_, let context)? = error(#"{"name":null,"count":1,"tags":[],"nested":{}}"#) else {
            Issue.record("expected valueNotFound")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["name"])
        guard case .dataCorrupted? = error(#"{"name":"n","count":1.5,"tags":[],"nested":{}}"#) else {
            Issue.record("expected dataCorrupted for a fraction where an Int belongs")
            return
        }
        guard case .dataCorrupted? = error(#"{"name":"n","count":1e300,"tags":[],"nested":{}}"#) else {
            Issue.record("expected dataCorrupted for a number past Int")
            return
        }
    }
}
