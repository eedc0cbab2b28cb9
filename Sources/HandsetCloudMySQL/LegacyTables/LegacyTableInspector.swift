import Foundation
import HandsetMySQL

/// An existing table as `information_schema` describes it.
struct LegacyTableDescription: Sendable, Equatable {
    var name: String
    /// `InnoDB`, `MyISAM`, …; `nil` for a view.
    var engine: String?
    var columns: [LegacyColumn]
    /// The primary key's columns, in order.
    var primaryKey: [String]
    /// Single-column unique indexes.
    var uniqueColumns: Set<String>
    /// Columns that refer to another table's column (a foreign key), by column.
    var references: [String: (table: String, column: String)]

    static func == (lhs: LegacyTableDescription, rhs: LegacyTableDescription) -> Bool {
        lhs.name == rhs.name && lhs.engine == rhs.engine && lhs.columns == rhs.columns
            && lhs.primaryKey == rhs.primaryKey && lhs.uniqueColumns == rhs.uniqueColumns
    }

    /// A column by name; MySQL's column names are not case-sensitive.
    func column(_ name: String) -> LegacyColumn? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// Reads table definitions from `information_schema`, for the checks made when a collection of an existing table is
/// served, and for `schema import`.
enum LegacyTableInspector {
    /// The tables (not views) of the connection's database, by name.
    static func tableNames(_ db: MySQLConnection) throws -> [String] {
        try db.execute(
            """
            SELECT TABLE_NAME FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """
        ).rows.map { try text($0, 0) ?? "" }
    }

    /// The table's definition, or `nil` if the database has no such table.
    static func describe(_ db: MySQLConnection, table: String) throws -> LegacyTableDescription? {
        guard
            let tableRow = try db.execute(
                """
                SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES
                WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
                """, [.text(table)]
            ).rows.first
        else { return nil }
        let name = try text(tableRow, 0) ?? table
        let jsonColumns = try self.jsonColumns(db, table: name)
        let columns = try db.execute(
            """
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, CHARACTER_SET_NAME,
                CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION,
                COLUMN_KEY
            FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION
            """, [.text(name)]
        ).rows.map { row -> LegacyColumn in
            let columnName = try text(row, 0) ?? ""
            let dataType = (try text(row, 1) ?? "").lowercased()
            let extra = (try text(row, 5) ?? "").lowercased()
            return LegacyColumn(
                name: columnName, dataType: dataType, columnType: (try text(row, 2) ?? "").lowercased(),
                isNullable: try text(row, 3) == "YES", defaultValue: try text(row, 4), extra: extra,
                isGenerated: extra.contains("generated") || extra.contains("virtual") || extra.contains("persistent"),
                characterSet: try text(row, 6), maximumCharacters: try number(row, 7), maximumBytes: try number(row, 8),
                numericPrecision: try number(row, 9), numericScale: try number(row, 10),
                datetimePrecision: try number(row, 11),
                isJSON: dataType == "json" || jsonColumns.contains(columnName.lowercased()),
                columnKey: try text(row, 12) ?? "")
        }
        var indexes: [String: (unique: Bool, columns: [String])] = [:]
        for row in try db.execute(
            """
            SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX
            """, [.text(name)]
        ).rows {
            let index = try text(row, 0) ?? ""
            let unique = try number(row, 2) == 0
            let column = try text(row, 1) ?? ""
            indexes[index, default: (unique, [])].columns.append(column)
        }
        var references: [String: (table: String, column: String)] = [:]
        for row in try db.execute(
            """
            SELECT COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
                AND REFERENCED_TABLE_SCHEMA = DATABASE()
            """, [.text(name)]
        ).rows {
            if let column = try text(row, 0), let table = try text(row, 1), let target = try text(row, 2) {
                references[column] = (table, target)
            }
        }
        return LegacyTableDescription(
            name: name, engine: try text(tableRow, 1), columns: columns,
            primaryKey: indexes["PRIMARY"]?.columns ?? [],
            uniqueColumns: Set(
                indexes.values.filter { $0.unique && $0.columns.count == 1 }.map { $0.columns[0].lowercased() }),
            references: references)
    }

    /// MariaDB's JSON columns are LONGTEXT with a `json_valid(column)` check (MySQL's have a type of their own, and
    /// its CHECK_CONSTRAINTS has no TABLE_NAME: the query fails there and finds none).
    private static func jsonColumns(_ db: MySQLConnection, table: String) throws -> Set<String> {
        let rows: [MySQLRow]
        do {
            rows = try db.execute(
                """
                SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
                WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?
                """, [.text(table)]
            ).rows
        } catch let error as MySQLError where error.kind == .server {
            return []
        }
        var columns: Set<String> = []
        for row in rows {
            guard let clause = try text(row, 0)?.lowercased(), clause.hasPrefix("json_valid(") else { continue }
            let inner = clause.dropFirst("json_valid(".count).prefix { $0 != ")" }
            columns.insert(inner.trimmingCharacters(in: CharacterSet(charactersIn: "`")))
        }
        return columns
    }

    /// The names of the triggers on a table.
    static func triggers(_ db: MySQLConnection, table: String) throws -> [String: String] {
        var triggers: [String: String] = [:]
        for row in try db.execute(
            """
            SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS
            WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?
            """, [.text(table)]
        ).rows {
            if let name = try text(row, 0) { triggers[name] = try text(row, 1) ?? "" }
        }
        return triggers
    }

    static func text(_ row: MySQLRow, _ index: Int) throws -> String? {
        switch row[index] {
        case .null: return nil
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return try row.optionalString(.index(index))
        }
    }

    static func number(_ row: MySQLRow, _ index: Int) throws -> Int? {
        guard let text = try text(row, index) else { return nil }
        return Int(text)
    }
}
