import Foundation
import HandsetCloudStorage

/// The fields of an `application/x-www-form-urlencoded` body or a query string (WHATWG URL's rules: `&`-separated
/// pairs, `+` is a space, percent-escapes are UTF-8). OAuth refuses a parameter given twice (RFC 6749 §3.1), so
/// repeats are kept and reported rather than one silently winning.
///
/// Parsing is one pass over the bytes: linear in the input, whatever it holds.
struct FormFields: Sendable, Equatable {
    private(set) var pairs: [(name: String, value: String)]

    static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// `nil` when a percent-escape is malformed or the bytes are not UTF-8.
    static func parse(_ text: Substring) -> FormFields? {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0]) else { return nil }
            let value = pieces.count > 1 ? decode(pieces[1]) : ""
            guard let value else { return nil }
            pairs.append((name, value))
        }
        return FormFields(pairs)
    }

    static func parse(_ text: String) -> FormFields? { parse(Substring(text)) }

    /// The value of `name` (the first, if repeated).
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// A non-empty value, or nil.
    func value(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    /// The names given more than once.
    var repeatedNames: Set<String> {
        var seen: Set<String> = []
        var repeated: Set<String> = []
        for pair in pairs where !seen.insert(pair.name).inserted { repeated.insert(pair.name) }
        return repeated
    }

    mutating func append(_ name: String, _ value: String) {
        pairs.append((name, value))
    }

    /// The fields encoded again, in order (for links and form actions that carry them on).
    var encoded: String {
        pairs.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true)
                    + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// One percent-encoded component, `+` as a space; nil when malformed.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
