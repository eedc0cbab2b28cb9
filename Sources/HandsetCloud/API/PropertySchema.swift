import Foundation
import HandsetWire

/// One property of a collection's schema: the JSON Schema keywords the cloud validates.
struct PropertySchema: Sendable, Equatable {
    enum Kind: String, Sendable, Equatable {
        case string, integer, number, boolean, array, object
        /// No `type`: any JSON value.
        case any
    }

    var kind: Kind
    var format: String?
    var enumValues: [JSONValue]?
    var maxLength: Int?
    var minLength: Int?
    var pattern: String?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var readOnly: Bool

    init(_ schema: JSONValue) throws {
        switch schema["type"] {
        case nil: kind = .any
        case .string(let name)?:
            guard let kind = Kind(rawValue: name) else { throw SchemaError("unknown type \(name)") }
            self.kind = kind
        default: throw SchemaError("type must be a string")
        }
        format = schema["format"]?.stringValue
        enumValues = schema["enum"]?.arrayValue
        maxLength = schema["maxLength"]?.intValue
        minLength = schema["minLength"]?.intValue
        pattern = schema["pattern"]?.stringValue
        if let pattern, (try? Regex(pattern)) == nil { throw SchemaError("pattern \(pattern) is not a regex") }
        minimum = schema["minimum"]?.doubleValue
        maximum = schema["maximum"]?.doubleValue
        // OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes the bound itself.
        switch schema["exclusiveMinimum"] {
        case .bool(true)?: exclusiveMinimum = minimum; minimum = nil
        case .number(let bound)?: exclusiveMinimum = bound
        default: exclusiveMinimum = nil
        }
        switch schema["exclusiveMaximum"] {
        case .bool(true)?: exclusiveMaximum = maximum; maximum = nil
        case .number(let bound)?: exclusiveMaximum = bound
        default: exclusiveMaximum = nil
        }
        readOnly = schema["readOnly"]?.boolValue ?? false
    }

    /// Whether lists can filter and sort by it: one plain value.
    var isScalar: Bool { kind == .string || kind == .integer || kind == .number || kind == .boolean }

    /// Why `value` does not fit, in a few words for the field's entry in a 400, or `nil` when it fits.
    func problem(with value: JSONValue) -> String? {
        if let enumValues, !enumValues.contains(value) {
            let choices = enumValues.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
            return "must be one of \(choices.joined(separator: ", "))"
        }
        switch kind {
        case .any: return nil
        case .boolean:
            return value.boolValue == nil ? "must be true or false" : nil
        case .array:
            return value.arrayValue == nil ? "must be an array" : nil
        case .object:
            return value.objectValue == nil ? "must be an object" : nil
        case .integer:
            guard let number = value.intValue.map(Double.init) else { return "must be an integer" }
            return rangeProblem(number)
        case .number:
            guard let number = value.doubleValue else { return "must be a number" }
            return rangeProblem(number)
        case .string:
            guard let text = value.stringValue else { return "must be a string" }
            let length = text.unicodeScalars.count
            if let maxLength, length > maxLength { return "must be at most \(maxLength) characters" }
            if let minLength, length < minLength {
                return minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters"
            }
            if let pattern, let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
                return "must match \(pattern)"
            }
            if let format, let problem = FieldFormat.problem(format: format, text: text) { return problem }
            return nil
        }
    }

    private func rangeProblem(_ number: Double) -> String? {
        if let minimum, number < minimum { return "must be at least \(Self.show(minimum))" }
        if let maximum, number > maximum { return "must be at most \(Self.show(maximum))" }
        if let exclusiveMinimum, number <= exclusiveMinimum {
            return "must be more than \(Self.show(exclusiveMinimum))"
        }
        if let exclusiveMaximum, number >= exclusiveMaximum {
            return "must be less than \(Self.show(exclusiveMaximum))"
        }
        return nil
    }

    private static func show(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// A query-string value as this property's JSON type (`priority=2` is the number 2), or `nil` if it is not one.
    func value(fromQuery text: String) -> JSONValue? {
        switch kind {
        case .string, .any: return .string(text)
        case .integer:
            guard let integer = Int64(text) else { return nil }
            return .number(Double(integer))
        case .number:
            guard let number = Double(text), number.isFinite else { return nil }
            return .number(number)
        case .boolean:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .array, .object: return nil
        }
    }
}

/// A document the cloud cannot serve, with the reason.
struct SchemaError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Checks of the string formats the API documents use. Unknown formats (like `x-object-key`) accept anything.
enum FieldFormat {
    static func problem(format: String, text: String) -> String? {
        switch format {
        case "date": return isDate(text) ? nil : "must be a date (YYYY-MM-DD)"
        case "date-time": return isDateTime(text) ? nil : "must be a date-time (RFC 3339, like 2026-12-01T09:30:00Z)"
        case "email": return isEmail(text) ? nil : "must be an email address"
        case "uri": return isURI(text) ? nil : "must be an absolute URI"
        case "uuid": return UUID(uuidString: text) == nil ? "must be a UUID" : nil
        default: return nil
        }
    }

    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10])
        else { return false }
        return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    static func isDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, isDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]), hour < 24, minute < 60, second <= 60
        else { return false }
        var rest = bytes[19...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
        }
        if rest.count == 1, rest.first == UInt8(ascii: "Z") || rest.first == UInt8(ascii: "z") { return true }
        let offset = Array(rest)
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"),
            offset[3] == UInt8(ascii: ":"), let hours = number(offset[1..<3]), let minutes = number(offset[4..<6])
        else { return false }
        return hours < 24 && minutes < 60
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return !text.contains { $0.isWhitespace || $0.isNewline }
    }

    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCII, CharacterSet.letters.contains(first),
            scheme.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+-.".unicodeScalars.contains($0))
            })
        else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || !$0.isASCII }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
