import Foundation

/// Why JSON text was refused, and where (a byte offset).
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A JSON parser (RFC 8259) that decides what each value is from its first byte and reads every byte once, so its
/// cost is linear in the input's size whatever its shape. Nesting deeper than `maximumDepth` is refused before it
/// costs anything (outside input decides the shape; the recursion is bounded by it).
///
/// Strict where it matters for a server: invalid UTF-8, unpaired surrogates, control characters in strings,
/// numbers that do not fit a Double, trailing bytes and a missing value are all errors. Of duplicate keys, the last
/// one counts (as in Foundation's decoder).
public struct JSONParser {
    /// Nesting of arrays and objects that `JSONValue.parse` accepts: deep enough for any document or record this
    /// project exchanges, shallow enough that no input can make parsing (or anything that walks the value
    /// recursively afterwards) expensive.
    public static let defaultMaximumDepth = 64

    public var maximumDepth: Int

    public init(maximumDepth: Int = JSONParser.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
    }

    public func parse(_ data: some DataProtocol) throws(JSONParseError) -> JSONValue {
        let bytes = [UInt8](data)
        var reader = Reader(bytes: bytes, maximumDepth: maximumDepth)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.failure("unexpected bytes after the value") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        let maximumDepth: Int
        var index = 0

        init(bytes: [UInt8], maximumDepth: Int) {
            self.bytes = bytes
            self.maximumDepth = maximumDepth
        }

        func failure(_ reason: String) -> JSONParseError {
            JSONParseError(offset: index, reason: reason)
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard index < bytes.count else { throw failure("a value is missing") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw failure("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONParseError) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw failure("unexpected end of input") }
            let matches = word.withUTF8Buffer { expected in
                expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
            }
            guard matches else { throw failure("unexpected character") }
            index += count
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw failure("an array is not closed") }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(elements)
                default: throw failure("expected , or ]")
                }
            }
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw failure("expected a member name")
                }
                let name = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected :") }
                index += 1
                skipWhitespace()
                members[name] = try value(depth: depth)
                skipWhitespace()
                guard index < bytes.count else { throw failure("an object is not closed") }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(members)
                default: throw failure("expected , or }")
                }
            }
        }

        /// A string, from its opening quote. Runs without escapes are copied as they are (after UTF-8 validation).
        mutating func string() throws(JSONParseError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var runStart = index
            while true {
                guard index < bytes.count else { throw failure("a string is not closed") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try appendRun(from: runStart, to: index, into: &scalars)
                    index += 1
                    return String(scalars)
                }
                if byte == UInt8(ascii: "\\") {
                    try appendRun(from: runStart, to: index, into: &scalars)
                    index += 1
                    scalars.append(try escape())
                    runStart = index
                    continue
                }
                guard byte >= 0x20 else { throw failure("a control character in a string") }
                index += 1
            }
        }

        func appendRun(
            from start: Int, to end: Int, into scalars: inout String.UnicodeScalarView
        )
            throws(JSONParseError)
        {
            guard start < end else { return }
            var iterator = bytes[start..<end].makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: return
                case .error: throw JSONParseError(offset: start, reason: "invalid UTF-8 in a string")
                }
            }
        }

        /// After a backslash.
        mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
            guard index < bytes.count else { throw failure("a string is not closed") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let first = try hexQuad()
                switch first {
                case 0xD800...0xDBFF:
                    guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw failure("an unpaired surrogate") }
                    index += 2
                    let second = try hexQuad()
                    guard (0xDC00...0xDFFF).contains(second) else { throw failure("an unpaired surrogate") }
                    let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    guard let scalar = Unicode.Scalar(value) else { throw failure("an invalid escape") }
                    return scalar
                case 0xDC00...0xDFFF:
                    throw failure("an unpaired surrogate")
                default:
                    guard let scalar = Unicode.Scalar(first) else { throw failure("an invalid escape") }
                    return scalar
                }
            default:
                throw failure("an invalid escape")
            }
        }

        mutating func hexQuad() throws(JSONParseError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw failure("a short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("a bad \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// A number in JSON's grammar (no leading zeros, no `+`, digits after `.` and `e`), as a finite Double.
        mutating func number() throws(JSONParseError) -> Double {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number without digits") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw failure("no digits after .") }
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                guard index < bytes.count, isDigit(bytes[index]) else { throw failure("no digits in an exponent") }
                skipDigits()
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let number = Double(text), number.isFinite else {
                throw JSONParseError(offset: start, reason: "a number too large for a Double")
            }
            return number
        }

        func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        mutating func skipDigits() {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
    }
}
