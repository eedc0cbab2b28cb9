import Foundation

/// One result row. Typed getters take a column index or name and throw `typeMismatch` (naming the column) when
/// the value is of another kind; the optional forms give nil for NULL.
public struct MySQLRow: Sendable {
    public let columns: MySQLColumns
    public let values: [MySQLValue]

    public init(columns: MySQLColumns, values: [MySQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ index: Int) -> MySQLValue { values[index] }

    public subscript(_ name: String) -> MySQLValue? { columns.index(of: name).map { values[$0] } }

    public func value(_ column: MySQLColumnReference) throws -> MySQLValue {
        switch column {
        case .index(let index):
            guard values.indices.contains(index) else {
                throw MySQLError(.typeMismatch, message: "no column \(index) (the row has \(values.count))")
            }
            return values[index]
        case .name(let name):
            guard let index = columns.index(of: name) else {
                throw MySQLError(.typeMismatch, message: "no column named \(name)")
            }
            return values[index]
        }
    }

    public func optionalInt64(_ column: MySQLColumnReference) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .int(let value): return value
        case .uint(let value) where value <= UInt64(Int64.max): return Int64(value)
        case .text(let text) where Int64(text) != nil: return Int64(text)
        case let other: throw mismatch(column, "an integer", other)
        }
    }

    public func optionalUInt64(_ column: MySQLColumnReference) throws -> UInt64? {
        switch try value(column) {
        case .null: return nil
        case .uint(let value): return value
        case .int(let value) where value >= 0: return UInt64(value)
        case .text(let text) where UInt64(text) != nil: return UInt64(text)
        case let other: throw mismatch(column, "an unsigned integer", other)
        }
    }

    public func optionalDouble(_ column: MySQLColumnReference) throws -> Double? {
        switch try value(column) {
        case .null: return nil
        case .double(let value): return value
        case .int(let value): return Double(value)
        case .uint(let value): return Double(value)
        case .text(let text) where Double(text) != nil: return Double(text)
        case let other: throw mismatch(column, "a number", other)
        }
    }

    public func optionalString(_ column: MySQLColumnReference) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case let other: throw mismatch(column, "text", other)
        }
    }

    public func optionalBytes(_ column: MySQLColumnReference) throws -> [UInt8]? {
        switch try value(column) {
        case .null: return nil
        case .bytes(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        case let other: throw mismatch(column, "bytes", other)
        }
    }

    /// A DATETIME / TIMESTAMP / DATE read as UTC; a zero date reads as nil.
    public func optionalDate(_ column: MySQLColumnReference) throws -> Date? {
        switch try value(column) {
        case .null: return nil
        case .text(let text):
            if text.hasPrefix("0000-00-00") { return nil }
            guard let date = MySQLDateTime.parse(text) else {
                throw mismatch(column, "a date", .text(text))
            }
            return date
        case let other: throw mismatch(column, "a date", other)
        }
    }

    public func int64(_ column: MySQLColumnReference) throws -> Int64 {
        try required(column, try optionalInt64(column))
    }
    public func int(_ column: MySQLColumnReference) throws -> Int {
        Int(try int64(column))
    }
    public func uint64(_ column: MySQLColumnReference) throws -> UInt64 {
        try required(column, try optionalUInt64(column))
    }
    public func double(_ column: MySQLColumnReference) throws -> Double {
        try required(column, try optionalDouble(column))
    }
    public func string(_ column: MySQLColumnReference) throws -> String {
        try required(column, try optionalString(column))
    }
    public func bytes(_ column: MySQLColumnReference) throws -> [UInt8] {
        try required(column, try optionalBytes(column))
    }
    public func date(_ column: MySQLColumnReference) throws -> Date {
        try required(column, try optionalDate(column))
    }
    public func bool(_ column: MySQLColumnReference) throws -> Bool {
        try int64(column) != 0
    }

    private func required<Value>(_ column: MySQLColumnReference, _ value: Value?) throws -> Value {
        guard let value else { throw MySQLError(.typeMismatch, message: "column \(column) is NULL") }
        return value
    }

    private func mismatch(_ column: MySQLColumnReference, _ wanted: String, _ found: MySQLValue) -> MySQLError {
        let kind: String
        switch found {
        case .null: kind = "NULL"
        case .int, .uint: kind = "an integer"
        case .double: kind = "a floating-point number"
        case .text: kind = "text"
        case .bytes: kind = "bytes"
        }
        return MySQLError(.typeMismatch, message: "column \(column) holds \(kind), not \(wanted)")
    }
}

/// A column by position (from 0) or by name: `row.int64(0)`, `row.string("title")`.
public enum MySQLColumnReference: Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    case index(Int)
    case name(String)

    public init(integerLiteral value: Int) { self = .index(value) }
    public init(stringLiteral value: String) { self = .name(value) }

    public var description: String {
        switch self {
        case .index(let index): return "\(index)"
        case .name(let name): return name
        }
    }
}
