import Foundation
import HandsetMySQL
import HandsetWire

/// Column values to JSON and back, without loss:
///
/// | column | JSON |
/// |---|---|
/// | TINYINT … BIGINT, signed or unsigned | a number; past 2^53 a decimal string (a JSON number would lose digits); a string when the property is one (ids of another collection) |
/// | TINYINT(1) | a boolean (a number when the property says integer) |
/// | DECIMAL | a string of its digits (a number when the property says number) |
/// | FLOAT, DOUBLE | a number (FLOAT through its shortest decimal form, so 0.1 reads as 0.1) |
/// | CHAR … LONGTEXT, any character set | a string (the server converts to and from utf8mb4) |
/// | ENUM | a string; SET: an array of strings |
/// | DATE | `YYYY-MM-DD`; DATETIME a local time of the mapping's zone and TIMESTAMP an instant, both as RFC 3339 in UTC; zero dates read as null |
/// | TIME | `[-]HH:MM:SS[.ffffff]` (hours may pass 24); YEAR a number |
/// | JSON | the value itself |
/// | BINARY, BLOB | base64 (only when a property maps one: `schema import` leaves them out) |
package enum LegacyValueCodec {
    /// The largest integer a JSON number carries exactly.
    static let exactIntegerLimit: UInt64 = 9_007_199_254_740_992

    // MARK: Reading

    /// The JSON of a column value; `nil` for NULL and for zero dates.
    package static func read(
        _ value: MySQLValue, column: LegacyColumn, rules: PropertyRules, zone: TimeZone
    ) -> JSONValue? {
        if value == .null { return nil }
        switch column.kind {
        case .integer, .year:
            return integer(value, rules: rules)
        case .boolean:
            guard let number = int64(value) else { return nil }
            if rules.kind == .integer || rules.kind == .number { return .number(Double(number)) }
            return .bool(number != 0)
        case .decimal:
            let text = string(value)
            if rules.kind == .number, let number = Double(text) { return .number(number) }
            return .string(text)
        case .float:
            guard let number = double(value) else { return nil }
            // A FLOAT is single precision: its shortest decimal form is the value that was written.
            return .number(Double(Float(number).description) ?? number)
        case .double:
            return double(value).map(JSONValue.number)
        case .text, .enumeration:
            return .string(string(value))
        case .set(_):
            let text = string(value)
            return .array(text.isEmpty ? [] : text.split(separator: ",").map { .string(String($0)) })
        case .date:
            let text = string(value)
            if isZeroDate(text) { return nil }
            return .string(String(text.prefix(10)))
        case .dateTime:
            return LegacyDateTime.parse(column: string(value), zone: zone)
                .map { .string($0.rfc3339(digits: column.datetimePrecision ?? 0)) }
        case .timestamp:
            return LegacyDateTime.parse(column: string(value), zone: utc)
                .map { .string($0.rfc3339(digits: column.datetimePrecision ?? 0)) }
        case .time:
            return .string(string(value))
        case .json:
            let text = string(value)
            guard let parsed = try? JSONValue.parse(Data(text.utf8)) else { return .string(text) }
            if parsed == .null { return nil }
            return parsed
        case .binary:
            guard case .bytes(let bytes) = value else { return .string(Data(string(value).utf8).base64EncodedString()) }
            return .string(Data(bytes).base64EncodedString())
        case .unsupported:
            return .string(string(value))
        }
    }

    /// A zero or partly zero date (`0000-00-00`, `2024-00-00`, `2024-05-00`): no day that a client could show.
    static func isZeroDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10 else { return true }
        return bytes[0..<4].allSatisfy { $0 == UInt8(ascii: "0") }
            || (bytes[5] == UInt8(ascii: "0") && bytes[6] == UInt8(ascii: "0"))
            || (bytes[8] == UInt8(ascii: "0") && bytes[9] == UInt8(ascii: "0"))
    }

    private static func integer(_ value: MySQLValue, rules: PropertyRules) -> JSONValue? {
        let text: String
        let magnitude: UInt64
        switch value {
        case .int(let number):
            text = String(number)
            magnitude = number.magnitude
        case .uint(let number):
            text = String(number)
            magnitude = number
        default:
            guard let number = int64(value) else { return nil }
            text = String(number)
            magnitude = number.magnitude
        }
        if rules.kind == .string || magnitude > exactIntegerLimit { return .string(text) }
        return .number(Double(text) ?? 0)
    }

    // MARK: Writing

    /// The value to bind for a JSON value (never null: the caller handles those), or why the column cannot hold it.
    package static func write(
        _ value: JSONValue, column: LegacyColumn, zone: TimeZone
    ) throws(LegacyFieldProblem) -> MySQLValue {
        switch column.kind {
        case .integer(let bits, let unsigned):
            return try integerValue(value, bits: bits, unsigned: unsigned)
        case .year:
            let number = try integerValue(value, bits: 16, unsigned: true)
            guard case .uint(let year) = number, year == 0 || (1901...2155).contains(year) else {
                throw LegacyFieldProblem("must be a year from 1901 to 2155")
            }
            return number
        case .boolean:
            switch value {
            case .bool(let flag): return .int(flag ? 1 : 0)
            // 0 and 1 only: another number would read back as true and be written back as 1 (the fuzz target's
            // finding). A row holding 2 keeps it as long as nobody changes the field.
            case .number(let number) where number == 0 || number == 1:
                return .int(Int64(number))
            default: throw LegacyFieldProblem("must be true or false")
            }
        case .decimal(let precision, let scale):
            let text: String
            switch value {
            case .string(let string): text = string
            case .number(let number) where number.isFinite: text = decimalText(number)
            default: throw LegacyFieldProblem("must be a decimal number like \"12.50\"")
            }
            try checkDecimal(text, precision: precision, scale: scale)
            return .text(text)
        case .float, .double:
            switch value {
            case .number(let number) where number.isFinite: return .double(number)
            case .string(let text) where Double(text)?.isFinite == true: return .double(Double(text)!)
            default: throw LegacyFieldProblem("must be a number")
            }
        case .text:
            guard let text = value.stringValue else { throw LegacyFieldProblem("must be a string") }
            if let limit = column.characterLimit, text.unicodeScalars.count > limit {
                throw LegacyFieldProblem("must be at most \(limit) characters")
            }
            return .text(text)
        case .enumeration(let members):
            guard let text = value.stringValue, members.contains(text) else {
                throw LegacyFieldProblem("must be one of \(members.joined(separator: ", "))")
            }
            return .text(text)
        case .set(let members):
            let items: [String]
            switch value {
            case .array(let values):
                items = try values.map { item throws(LegacyFieldProblem) -> String in
                    guard let text = item.stringValue else { throw LegacyFieldProblem("must hold strings") }
                    return text
                }
            case .string(let text): items = text.isEmpty ? [] : text.split(separator: ",").map(String.init)
            default: throw LegacyFieldProblem("must be a list of \(members.joined(separator: ", "))")
            }
            guard items.allSatisfy(members.contains) else {
                throw LegacyFieldProblem("may hold only \(members.joined(separator: ", "))")
            }
            guard Set(items).count == items.count else { throw LegacyFieldProblem("must not repeat a value") }
            // In the column's own order, as MySQL would store them.
            return .text(members.filter(items.contains).joined(separator: ","))
        case .date:
            guard let text = value.stringValue, FieldFormat.problem(format: "date", text: text) == nil else {
                throw LegacyFieldProblem("must be a date (YYYY-MM-DD)")
            }
            return .text(text)
        case .dateTime, .timestamp:
            guard let text = value.stringValue, let instant = LegacyDateTime.parse(rfc3339: text) else {
                throw LegacyFieldProblem("must be a date-time (RFC 3339, like 2026-12-01T09:30:00Z)")
            }
            let columnZone = column.kind == .timestamp ? utc : zone
            return .text(instant.columnText(zone: columnZone, digits: column.datetimePrecision ?? 0))
        case .time:
            guard let text = value.stringValue, isTime(text) else {
                throw LegacyFieldProblem("must be a time like 09:30:00 (hours up to 838, may be negative)")
            }
            return .text(text)
        case .json:
            return .text(String(decoding: value.encoded(), as: UTF8.self))
        case .binary:
            guard let text = value.stringValue, let data = Data(base64Encoded: text) else {
                throw LegacyFieldProblem("must be base64")
            }
            return .bytes([UInt8](data))
        case .unsupported(let type):
            throw LegacyFieldProblem("is a \(type) column, which the cloud does not write")
        }
    }

    private static func integerValue(
        _ value: JSONValue, bits: Int, unsigned: Bool
    ) throws(LegacyFieldProblem) -> MySQLValue {
        let lower: Int64 = unsigned ? 0 : (bits == 64 ? Int64.min : -(Int64(1) << (bits - 1)))
        let upper: UInt64 =
            unsigned ? (bits == 64 ? UInt64.max : (UInt64(1) << bits) - 1) : (UInt64(1) << (bits - 1)) - 1
        let range = "must be an integer from \(lower) to \(upper)"
        switch value {
        case .number(let number):
            guard number.rounded() == number, number.magnitude <= Double(exactIntegerLimit) else {
                throw LegacyFieldProblem(number.rounded() == number ? range : "must be an integer")
            }
            if number < 0 {
                guard Int64(number) >= lower else { throw LegacyFieldProblem(range) }
                return .int(Int64(number))
            }
            guard UInt64(number) <= upper else { throw LegacyFieldProblem(range) }
            return unsigned ? .uint(UInt64(number)) : .int(Int64(number))
        case .string(let text):
            if let number = Int64(text), number < 0 {
                guard number >= lower else { throw LegacyFieldProblem(range) }
                return .int(number)
            }
            guard let number = UInt64(text) else { throw LegacyFieldProblem("must be an integer") }
            guard number <= upper else { throw LegacyFieldProblem(range) }
            return unsigned ? .uint(number) : .int(Int64(number))
        case .bool(let flag) where bits == 8:
            return .int(flag ? 1 : 0)
        default:
            throw LegacyFieldProblem("must be an integer")
        }
    }

    /// Refuses a decimal the column would round or could not hold, so nothing is lost silently.
    private static func checkDecimal(_ text: String, precision: Int, scale: Int) throws(LegacyFieldProblem) {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 1 || !parts[1].isEmpty
        else { throw LegacyFieldProblem("must be a decimal number like \"12.50\"") }
        let whole = parts[0].drop { $0 == "0" }
        let fraction = parts.count == 2 ? String(parts[1].reversed().drop { $0 == "0" }.reversed()) : ""
        guard whole.count <= precision - scale, fraction.count <= scale else {
            let example =
                String(repeating: "9", count: max(precision - scale, 1))
                + (scale > 0 ? "." + String(repeating: "9", count: scale) : "")
            throw LegacyFieldProblem(
                "must have at most \(precision - scale) digits before the point and \(scale) after (like \(example))")
        }
    }

    private static func decimalText(_ number: Double) -> String {
        number.rounded() == number && number.magnitude < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func isTime(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...3).contains(parts[0].count), parts[1].count == 2,
            let hours = Int(parts[0]), hours <= 838, let minutes = Int(parts[1]), minutes < 60
        else { return false }
        let seconds = parts[2].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(seconds.count), seconds[0].count == 2, let second = Int(seconds[0]), second < 60
        else { return false }
        if seconds.count == 2 {
            return (1...6).contains(seconds[1].count) && seconds[1].allSatisfy { $0.isASCII && $0.isNumber }
        }
        return parts.allSatisfy { $0.first != "+" }
    }

    // MARK: Values

    static let utc = TimeZone(identifier: "UTC")!

    static func string(_ value: MySQLValue) -> String {
        switch value {
        case .text(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .double(let number): String(number)
        case .null: ""
        }
    }

    static func int64(_ value: MySQLValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .uint(let number): Int64(exactly: number)
        case .text(let text): Int64(text)
        case .double(let number): Int64(exactly: number)
        default: nil
        }
    }

    static func double(_ value: MySQLValue) -> Double? {
        switch value {
        case .double(let number): number
        case .int(let number): Double(number)
        case .uint(let number): Double(number)
        case .text(let text): Double(text)
        default: nil
        }
    }
}

/// Why a column cannot hold a value, in a few words for the field's entry in a 400.
package struct LegacyFieldProblem: Error, Equatable {
    package var message: String
    package init(_ message: String) { self.message = message }
}
