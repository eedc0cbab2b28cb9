import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// A collection's mapping checked against its table: the key column, each field's column, and how to read rows
/// into records. Made when storage is prepared; a mapping that does not fit the table stops the cloud from
/// starting, with the reason.
struct LegacyTable: Sendable {
    struct Field: Sendable {
        var property: String
        var column: LegacyColumn
        var rules: PropertyRules
        var zone: TimeZone
        /// Whether writes may set it: not a generated column, not the owner column, not `readOnly`.
        var writable: Bool
    }

    let mapping: LegacyTableMapping
    let name: String
    let key: LegacyColumn
    let fields: [Field]
    let owner: LegacyColumn?
    /// DATETIME columns the server fills with the current time (a default or ON UPDATE) in a zone other than UTC:
    /// the cloud's sessions run in UTC, so the cloud writes their local time itself.
    let zonedClockColumns: [(column: LegacyColumn, zone: TimeZone)]

    var collection: String { mapping.collection }
    var keyIsInteger: Bool {
        if case .integer = key.kind { return true }
        return false
    }

    init(mapping: LegacyTableMapping, description: LegacyTableDescription?) throws {
        let place = "collection \(mapping.collection) (table \(mapping.table))"
        func refuse(_ reason: String) -> CloudStartupError { .invalidAPIDocument(reason: "\(place): \(reason)") }
        guard let description else { throw refuse("the database has no table \(mapping.table)") }
        guard let engine = description.engine else { throw refuse("\(mapping.table) is a view, not a table") }
        guard engine.lowercased() == "innodb" else {
            throw refuse(
                "\(mapping.table) uses the \(engine) engine; the cloud needs InnoDB, whose transactions keep a row "
                    + "and its bookkeeping together (ALTER TABLE \(mapping.table) ENGINE=InnoDB)")
        }
        self.mapping = mapping
        name = description.name

        let key: LegacyColumn
        let primary = description.primaryKey
        if let named = mapping.keyColumn {
            guard let column = description.column(named) else {
                throw refuse("x-handset-key names \(named), which \(mapping.table) does not have")
            }
            let isPrimary = primary.count == 1 && primary[0].lowercased() == column.name.lowercased()
            let isUnique = description.uniqueColumns.contains(column.name.lowercased()) && !column.isNullable
            guard isPrimary || isUnique else {
                if primary.count > 1 {
                    throw refuse(
                        "the primary key of \(mapping.table) is (\(primary.joined(separator: ", "))) and \(column.name) "
                            + "alone is not unique: composite keys are not supported; a record needs one key column")
                }
                throw refuse("x-handset-key \(column.name) is neither the primary key nor a unique NOT NULL column")
            }
            key = column
        } else {
            guard !primary.isEmpty else {
                throw refuse(
                    "\(mapping.table) has no primary key: name a unique NOT NULL column with x-handset-key")
            }
            guard primary.count == 1, let column = description.column(primary[0]) else {
                throw refuse(
                    "the primary key of \(mapping.table) is (\(primary.joined(separator: ", "))): composite keys are "
                        + "not supported; name a single-column unique key with x-handset-key")
            }
            key = column
        }
        switch key.kind {
        case .integer: break
        case .text where key.dataType == "char" || key.dataType == "varchar":
            guard (key.maximumCharacters ?? 0) <= 191 else {
                throw refuse(
                    "the key column \(key.name) holds up to \(key.maximumCharacters ?? 0) characters (at most 191)")
            }
        default:
            throw refuse("the key column \(key.name) is \(key.columnType): a key must be an integer or a CHAR/VARCHAR")
        }
        if key.isAutoIncrement, !mapping.keyGenerated {
            throw refuse(
                "the key column \(key.name) is AUTO_INCREMENT: add \"x-handset-key-generated\": true, so that clients "
                    + "create without an id and the database assigns it")
        }
        if mapping.keyGenerated, !key.isAutoIncrement {
            throw refuse("x-handset-key-generated is true but \(key.name) is not AUTO_INCREMENT")
        }
        self.key = key

        var owner: LegacyColumn?
        if let ownerName = mapping.ownerColumn {
            guard let column = description.column(ownerName) else {
                throw refuse("x-handset-owner-column names \(ownerName), which \(mapping.table) does not have")
            }
            guard column.name.lowercased() != key.name.lowercased() else {
                throw refuse("the owner column cannot be the key column")
            }
            owner = column
        }
        self.owner = owner

        let tableZone = mapping.timeZone.flatMap(TimeZone.init(identifier:)) ?? LegacyValueCodec.utc
        var fields: [Field] = []
        for field in mapping.fields {
            guard let column = description.column(field.column) else {
                throw refuse("\(mapping.table) has no column \(field.column) (property \(field.property))")
            }
            if case .unsupported(let type) = column.kind {
                throw refuse("column \(column.name) is of type \(type), which the cloud cannot serve")
            }
            let isOwner = owner.map { $0.name.lowercased() == column.name.lowercased() } ?? false
            fields.append(
                Field(
                    property: field.property, column: column, rules: field.rules,
                    zone: field.timeZone.flatMap(TimeZone.init(identifier:)) ?? tableZone,
                    writable: !column.isGenerated && !isOwner && !field.rules.readOnly))
        }
        self.fields = fields
        var clocks: [(LegacyColumn, TimeZone)] = []
        for column in description.columns
        where column.kind == .dateTime && (column.defaultsToNow || column.updatesOnWrite) {
            let zone = fields.first { $0.column.name == column.name }?.zone ?? tableZone
            if !["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier) { clocks.append((column, zone)) }
        }
        zonedClockColumns = clocks
    }

    // MARK: SQL

    static func quote(_ identifier: String) -> String {
        "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`"
    }

    var quotedName: String { Self.quote(name) }
    var quotedKey: String { "t." + Self.quote(key.name) }

    /// The key column as bookkeeping's `row_key` compares: text in utf8mb4_bin.
    var keyAsRowKey: String { "CONVERT(\(quotedKey) USING utf8mb4) COLLATE utf8mb4_bin" }

    /// The columns a record is read from: the key, each field, then the owner column as text.
    var selectList: String {
        var list = [quotedKey]
        for field in fields { list.append(Self.readExpression(field.column)) }
        if let owner { list.append("CAST(t.\(Self.quote(owner.name)) AS CHAR)") }
        return list.joined(separator: ", ")
    }

    /// How many columns `selectList` has.
    var selectCount: Int { 1 + fields.count + (owner == nil ? 0 : 1) }

    static func readExpression(_ column: LegacyColumn) -> String {
        let quoted = "t." + quote(column.name)
        return column.kind.readsAsText ? "CAST(\(quoted) AS CHAR)" : quoted
    }

    /// The key value for a record id, bound with the key's type; `nil` when no row could have that id (an integer
    /// key and an id that is not its canonical decimal form).
    func keyValue(for id: String) -> MySQLValue? {
        guard case .integer(_, let unsigned) = key.kind else { return .text(id) }
        if unsigned {
            guard let value = UInt64(id), String(value) == id else { return nil }
            return .uint(value)
        }
        guard let value = Int64(id), String(value) == id else { return nil }
        return .int(value)
    }

    /// A record id from a key value.
    static func id(from value: MySQLValue) -> String { LegacyValueCodec.string(value) }

    /// A field by property name.
    func field(_ property: String) -> Field? { fields.first { $0.property == property } }

    // MARK: Rows

    /// What the cloud keeps about a row.
    struct Bookkeeping: Sendable {
        var version: Int
        var updatedAt: String
        var sequence: Int64
        var owner: String
        var deleted: Bool
        var lastDevice: String?

        static let columns = "b.version, b.updated_at, b.seq, b.owner, b.deleted, b.last_device"

        /// Reads bookkeeping columns starting at `start`; `nil` when the row has none (a LEFT JOIN found nothing).
        static func read(_ row: MySQLRow, from start: Int) throws -> Bookkeeping? {
            guard row[start] != .null else { return nil }
            return Bookkeeping(
                version: try row.int(.index(start)), updatedAt: try row.string(.index(start + 1)),
                sequence: try row.optionalInt64(.index(start + 2)) ?? 0, owner: try row.string(.index(start + 3)),
                deleted: try row.bool(.index(start + 4)), lastDevice: try row.optionalString(.index(start + 5)))
        }
    }

    /// The body of a row read with `selectList`.
    func body(of row: MySQLRow) -> [String: JSONValue] {
        var body: [String: JSONValue] = [:]
        for (index, field) in fields.enumerated() {
            if let value = LegacyValueCodec.read(
                row[1 + index], column: field.column, rules: field.rules, zone: field.zone)
            {
                body[field.property] = value
            }
        }
        return body
    }

    /// The owner value of a row read with `selectList`: the owner column's, else the bookkeeping's.
    func owner(of row: MySQLRow, bookkeeping: Bookkeeping?) -> String {
        if owner != nil { return LegacyValueCodec.string(row[selectCount - 1]) }
        return bookkeeping?.owner ?? ""
    }

    /// A live record from a row read with `selectList`; a row without bookkeeping yet is at version 1.
    func record(of row: MySQLRow, bookkeeping: Bookkeeping?, pendingChange: Bool = false, now: String) -> StoredRecord {
        let version: Int
        let updatedAt: String
        switch bookkeeping {
        case nil:
            (version, updatedAt) = (1, now)
        case let bookkeeping? where bookkeeping.deleted || pendingChange:
            (version, updatedAt) = (bookkeeping.version + 1, now)
        case let bookkeeping?:
            (version, updatedAt) = (bookkeeping.version, bookkeeping.updatedAt)
        }
        return StoredRecord(
            collection: collection, id: Self.id(from: row[0]), owner: owner(of: row, bookkeeping: bookkeeping),
            version: version, updatedAt: updatedAt, sequence: bookkeeping?.sequence ?? 0, deleted: false,
            body: body(of: row), lastDevice: bookkeeping?.lastDevice)
    }

    /// The tombstone of a row that is gone: at the next version when the cloud has not yet seen it go.
    func tombstone(id: String, bookkeeping: Bookkeeping, now: String) -> StoredRecord {
        StoredRecord(
            collection: collection, id: id, owner: bookkeeping.owner,
            version: bookkeeping.version + (bookkeeping.deleted ? 0 : 1),
            updatedAt: bookkeeping.deleted ? bookkeeping.updatedAt : now, sequence: bookkeeping.sequence,
            deleted: true, bodyText: "{}")
    }
}
