import Foundation

/// A column of an existing table, as `information_schema.COLUMNS` describes it.
package struct LegacyColumn: Sendable, Equatable {
    var name: String
    /// `DATA_TYPE`, lowercased: `int`, `varchar`, `datetime`, …
    var dataType: String
    /// `COLUMN_TYPE`, lowercased: `int(10) unsigned`, `enum('open','closed')`, `tinyint(1)`, …
    package var columnType: String
    var isNullable: Bool
    /// `COLUMN_DEFAULT` as the server gives it (MariaDB quotes strings, `'open'`, and writes functions,
    /// `current_timestamp()`); `nil` when the column has none.
    var defaultValue: String?
    /// `EXTRA`, lowercased: `auto_increment`, `on update current_timestamp()`, `stored generated`, …
    var extra: String
    var isGenerated: Bool
    var characterSet: String?
    var maximumCharacters: Int?
    var maximumBytes: Int?
    var numericPrecision: Int?
    var numericScale: Int?
    var datetimePrecision: Int?
    /// A JSON column: MySQL's `json` type, or MariaDB's LONGTEXT with a `json_valid` check.
    var isJSON: Bool
    /// `PRI`, `UNI`, `MUL` or empty.
    var columnKey: String

    package init(
        name: String, dataType: String, columnType: String, isNullable: Bool, defaultValue: String?, extra: String,
        isGenerated: Bool, characterSet: String?, maximumCharacters: Int?, maximumBytes: Int?, numericPrecision: Int?,
        numericScale: Int?, datetimePrecision: Int?, isJSON: Bool, columnKey: String
    ) {
        self.name = name
        self.dataType = dataType
        self.columnType = columnType
        self.isNullable = isNullable
        self.defaultValue = defaultValue
        self.extra = extra
        self.isGenerated = isGenerated
        self.characterSet = characterSet
        self.maximumCharacters = maximumCharacters
        self.maximumBytes = maximumBytes
        self.numericPrecision = numericPrecision
        self.numericScale = numericScale
        self.datetimePrecision = datetimePrecision
        self.isJSON = isJSON
        self.columnKey = columnKey
    }

    var isUnsigned: Bool { columnType.contains("unsigned") }
    var isAutoIncrement: Bool { extra.contains("auto_increment") }
    /// `DEFAULT NULL` as MariaDB writes it: the same as no default, for a nullable column.
    var hasDefault: Bool { defaultValue != nil && defaultValue?.uppercased() != "NULL" }
    var updatesOnWrite: Bool { extra.contains("on update current_timestamp") }
    var defaultsToNow: Bool { defaultValue?.lowercased().hasPrefix("current_timestamp") == true }

    /// NOT NULL without a default, written by nobody but the writer: a create must give it.
    var isRequired: Bool { !isNullable && !hasDefault && !isAutoIncrement && !isGenerated }

    /// How values of this column travel.
    package var kind: LegacyColumnKind {
        switch dataType {
        case "tinyint" where columnType.hasPrefix("tinyint(1)") && !isUnsigned: return .boolean
        case "tinyint": return .integer(bits: 8, unsigned: isUnsigned)
        case "smallint": return .integer(bits: 16, unsigned: isUnsigned)
        case "mediumint": return .integer(bits: 24, unsigned: isUnsigned)
        case "int", "integer": return .integer(bits: 32, unsigned: isUnsigned)
        case "bigint": return .integer(bits: 64, unsigned: isUnsigned)
        case "decimal", "numeric": return .decimal(precision: numericPrecision ?? 10, scale: numericScale ?? 0)
        case "float": return .float
        case "double", "real": return .double
        case "char", "varchar", "tinytext", "text", "mediumtext", "longtext":
            return isJSON ? .json : .text
        case "json": return .json
        case "enum": return .enumeration(Self.members(of: columnType))
        case "set": return .set(Self.members(of: columnType))
        case "date": return .date
        case "datetime": return .dateTime
        case "timestamp": return .timestamp
        case "time": return .time
        case "year": return .year
        case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob": return .binary
        default: return .unsupported(dataType)
        }
    }

    /// The most characters a value may have, where the column limits it (text types limit bytes: a utf8mb4 TEXT
    /// holds 65,535 bytes, so at least 16,383 characters).
    var characterLimit: Int? {
        switch dataType {
        case "char", "varchar": return maximumCharacters
        case "tinytext", "text":
            guard let bytes = maximumBytes else { return nil }
            return bytes / Self.bytesPerCharacter(characterSet)
        default: return nil
        }
    }

    static func bytesPerCharacter(_ characterSet: String?) -> Int {
        switch characterSet?.lowercased() {
        case "utf8mb4": 4
        case "utf8", "utf8mb3": 3
        case "ucs2", "utf16": 4
        case "utf32": 4
        default: 1
        }
    }

    /// The members of `enum('a','b')` or `set('a','b')`: quoted, a quote inside doubled.
    static func members(of columnType: String) -> [String] {
        guard let open = columnType.firstIndex(of: "("), let close = columnType.lastIndex(of: ")"), open < close
        else { return [] }
        var members: [String] = []
        var current = ""
        var inQuote = false
        var characters = columnType[columnType.index(after: open)..<close].makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuote {
                if character == "'" {
                    if pending == "'" {
                        current.append("'")
                        pending = characters.next()
                    } else {
                        inQuote = false
                        members.append(current)
                        current = ""
                    }
                } else if character == "\\", let escaped = pending {
                    current.append(escaped)
                    pending = characters.next()
                } else {
                    current.append(character)
                }
            } else if character == "'" {
                inQuote = true
            }
        }
        return members
    }
}

/// The ways column values travel as JSON.
package enum LegacyColumnKind: Sendable, Equatable {
    case integer(bits: Int, unsigned: Bool)
    /// TINYINT(1), MySQL's BOOLEAN.
    case boolean
    case decimal(precision: Int, scale: Int)
    case float
    case double
    case text
    case enumeration([String])
    case set([String])
    case date
    case dateTime
    case timestamp
    case time
    case year
    case json
    case binary
    case unsupported(String)

    /// Whether values are read through `CAST(… AS CHAR)`: the server's own text form of dates and times (zero dates
    /// included), whatever the driver would do with them.
    var readsAsText: Bool {
        switch self {
        case .date, .dateTime, .timestamp, .time, .decimal: true
        default: false
        }
    }

    var isTemporal: Bool {
        switch self {
        case .date, .dateTime, .timestamp: true
        default: false
        }
    }
}
