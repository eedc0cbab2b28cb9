import Foundation

/// A parameter or a column value. Integer columns read as `.int`, or `.uint` when the column is UNSIGNED (so a
/// BIGINT UNSIGNED past 2^63 keeps its value); FLOAT and DOUBLE as `.double`; binary strings and BLOBs as `.bytes`;
/// everything else (text, DECIMAL, dates and times, JSON, ENUM, SET) as `.text` in UTF-8.
public enum MySQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case text(String)
    case bytes([UInt8])

    /// A point in time as DATETIME(6) text in UTC (`2024-05-06 07:08:09.123456`): connections run with
    /// `time_zone = '+00:00'`, so DATETIME and TIMESTAMP columns hold UTC.
    public static func dateTime(_ date: Date) -> MySQLValue { .text(MySQLDateTime.format(date)) }

    public var isNull: Bool { self == .null }
}

extension MySQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .int(value ? 1 : 0) }
}

extension MySQLValue {
    public init(_ value: Int) { self = .int(Int64(value)) }
    public init(_ value: Int64) { self = .int(value) }
    public init(_ value: UInt64) { self = .uint(value) }
    public init(_ value: Double) { self = .double(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: [UInt8]) { self = .bytes(value) }
    public init(_ value: Data) { self = .bytes([UInt8](value)) }
    public init(_ value: Bool) { self = .int(value ? 1 : 0) }
    public init(_ value: Date) { self = .dateTime(value) }

    /// `.null` for nil, otherwise the value.
    public init<Wrapped>(_ optional: Wrapped?) where Wrapped: MySQLValueConvertible {
        self = optional.map(\.mySQLValue) ?? .null
    }
}

/// A Swift type that binds as a statement parameter.
public protocol MySQLValueConvertible {
    var mySQLValue: MySQLValue { get }
}

extension Int: MySQLValueConvertible { public var mySQLValue: MySQLValue { MySQLValue(self) } }
extension Int64: MySQLValueConvertible { public var mySQLValue: MySQLValue { .int(self) } }
extension UInt64: MySQLValueConvertible { public var mySQLValue: MySQLValue { .uint(self) } }
extension Double: MySQLValueConvertible { public var mySQLValue: MySQLValue { .double(self) } }
extension String: MySQLValueConvertible { public var mySQLValue: MySQLValue { .text(self) } }
extension Bool: MySQLValueConvertible { public var mySQLValue: MySQLValue { MySQLValue(self) } }
extension Date: MySQLValueConvertible { public var mySQLValue: MySQLValue { .dateTime(self) } }
extension Data: MySQLValueConvertible { public var mySQLValue: MySQLValue { MySQLValue(self) } }
