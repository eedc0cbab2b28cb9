import CMariaDB

/// A result column: its name and how its values are read.
public struct MySQLColumn: Sendable, Hashable {
    public enum ValueKind: Sendable, Hashable {
        case signedInteger
        case unsignedInteger
        case floatingPoint
        case text
        case bytes
        case null
    }

    public var name: String
    /// Connector/C's `enum_field_types` value (MYSQL_TYPE_LONGLONG = 8, MYSQL_TYPE_DATETIME = 12, …).
    public var fieldType: UInt32
    public var valueKind: ValueKind

    /// The character-set number MySQL gives binary strings (BINARY, VARBINARY, BLOB, BIT).
    static let binaryCharset: UInt32 = 63

    init(field: MYSQL_FIELD) {
        self.name = field.name.map { String(cString: $0) } ?? ""
        self.fieldType = field.type.rawValue
        self.valueKind = Self.kind(type: field.type, flags: field.flags, charset: field.charsetnr)
    }

    static func kind(type: enum_field_types, flags: UInt32, charset: UInt32) -> ValueKind {
        switch type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG,
            MYSQL_TYPE_YEAR:
            return flags & UInt32(UNSIGNED_FLAG) != 0 ? .unsignedInteger : .signedInteger
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return .floatingPoint
        case MYSQL_TYPE_NULL:
            return .null
        case MYSQL_TYPE_BIT, MYSQL_TYPE_GEOMETRY:
            return .bytes
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
            MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_STRING, MYSQL_TYPE_VARCHAR:
            return charset == binaryCharset ? .bytes : .text
        default:
            // DECIMAL, dates and times, JSON, ENUM, SET: read as their text form.
            return .text
        }
    }
}

/// The columns of a result, shared by its rows.
public final class MySQLColumns: Sendable {
    public let columns: [MySQLColumn]
    private let indexByName: [String: Int]

    init(_ columns: [MySQLColumn]) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = position
        }
        self.indexByName = index
    }

    public var count: Int { columns.count }
    public var names: [String] { columns.map(\.name) }
    public func index(of name: String) -> Int? { indexByName[name] }
}
