import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// Records that are the rows of existing tables (`x-handset-table`): reads and writes go to the table itself, so the
/// web application that owns it sees a write at once, and the reverse.
///
/// **Bookkeeping.** The table is never altered. What the cloud needs besides the row lives in
/// `handset_legacy_rows`: the version (for ETags and `If-Match`), the time of the last change, the row's place in the
/// collection's change feed, the owner where no column holds it, and tombstones of deleted rows.
///
/// **Writes by others.** Triggers on the table (`LegacyCapture`) write the key of every row that anybody inserts,
/// updates or deletes to `handset_legacy_changes`, in the writer's own transaction. Before answering a read, the
/// cloud folds committed entries into the bookkeeping (each changed row gets the next version and the next place in
/// the feed, a vanished row becomes a tombstone); a write folds its own row's entries while it holds the row's lock,
/// so `If-Match` against a row the web application changed since answers 412. Feed values are taken as in
/// `MySQLRecordRepository` (the collection's sequence row, locked until COMMIT), so a cursor never skips a change.
package final class MySQLLegacyRecordRepository: @unchecked Sendable {
    let pool: MySQLPool
    private let lock = NSLock()
    private var tablesByCollection: [String: LegacyTable] = [:]
    private var tablesByName: [String: LegacyTable] = [:]

    /// Writes whose new row's key was taken by a concurrent insert run again (and find the row).
    static let maximumRaces = 5

    package init(pool: MySQLPool) {
        self.pool = pool
    }

    /// Whether `collection` is one of the mapped collections prepared.
    package func serves(_ collection: String) -> Bool {
        lock.withLock { tablesByCollection[collection] != nil }
    }

    func table(_ collection: String) throws -> LegacyTable {
        guard let table = lock.withLock({ tablesByCollection[collection] }) else {
            throw MySQLError(.misuse, message: "collection \(collection) is not mapped to a table")
        }
        return table
    }

    var tables: [String: LegacyTable] { lock.withLock { tablesByName } }

    /// Checks each mapping against its table and that change capture is in place (`LegacyCapture.install`, which
    /// `serve` runs before it builds the application); throws `CloudStartupError` naming what does not fit.
    package func prepare(_ mappings: [LegacyTableMapping]) async throws {
        let tables = try await pool.withConnection { db -> [LegacyTable] in
            try mappings.map { mapping in
                let table = try LegacyTable(
                    mapping: mapping, description: try LegacyTableInspector.describe(db, table: mapping.table))
                guard try LegacyCapture.isInstalled(db, table: table) else {
                    throw CloudStartupError.invalidAPIDocument(
                        reason: "collection \(mapping.collection): change capture on table \(table.name) is not set up "
                            + "for this mapping (`handset-cloud serve --database … --api …` sets it up when it starts; "
                            + "`handset-cloud capture install` does it alone)")
                }
                return table
            }
        }
        var byName: [String: LegacyTable] = [:]
        for table in tables {
            if let other = byName[table.name] {
                throw CloudStartupError.invalidAPIDocument(
                    reason: "collections \(other.collection) and \(table.collection) both map table \(table.name)")
            }
            byName[table.name] = table
        }
        lock.withLock {
            tablesByName = byName
            tablesByCollection = Dictionary(uniqueKeysWithValues: tables.map { ($0.collection, $0) })
        }
    }

    // MARK: Reads

    package func record(collection: String, id: String) async throws -> StoredRecord? {
        let table = try table(collection)
        try await absorbPendingChanges()
        let now = Timestamp.string(from: Date())
        return try await pool.withConnection { db in
            try Self.current(db, table: table, id: id, locking: false, now: now)?.record
        }
    }

    package func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
        let table = try table(collection)
        try await absorbPendingChanges()
        let now = Timestamp.string(from: Date())
        return try await pool.withConnection { db in
            var sql = """
                SELECT b.row_key, \(LegacyTable.Bookkeeping.columns) FROM handset_legacy_rows b
                WHERE b.collection = ? AND b.seq > ?
                """
            var parameters: [MySQLValue] = [.text(collection), .int(after)]
            if let owner {
                sql += " AND b.owner = ?"
                parameters.append(.text(owner))
            }
            sql += " ORDER BY b.seq LIMIT ?"
            parameters.append(.int(Int64(limit)))
            let books = try db.execute(sql, parameters).rows.map { row in
                (try row.string(0), try LegacyTable.Bookkeeping.read(row, from: 1)!)
            }
            let rows = try Self.rows(db, table: table, keys: books.map(\.0))
            return books.map { key, bookkeeping in
                if let row = rows[key], !bookkeeping.deleted {
                    return table.record(of: row, bookkeeping: bookkeeping, now: now)
                }
                var tombstone = table.tombstone(id: key, bookkeeping: bookkeeping, now: now)
                // Gone since the fold above: a later fold gives it its own place in the feed.
                tombstone.version = bookkeeping.version
                return tombstone
            }
        }
    }

    /// The rows with these keys (as record ids), by id.
    static func rows(_ db: MySQLConnection, table: LegacyTable, keys: [String]) throws -> [String: MySQLRow] {
        let values = keys.compactMap(table.keyValue(for:))
        guard !values.isEmpty else { return [:] }
        var rows: [String: MySQLRow] = [:]
        for chunk in stride(from: 0, to: values.count, by: 500).map({ Array(values[$0..<min($0 + 500, values.count)]) })
        {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try db.execute(
                "SELECT \(table.selectList) FROM \(table.quotedName) t WHERE \(table.quotedKey) IN (\(marks))", chunk
            ).rows {
                rows[LegacyTable.id(from: row[0])] = row
            }
        }
        return rows
    }

    /// A row as it stands: its record (or tombstone), its key as bookkeeping names it, whether the web application
    /// changed it since the cloud last looked, and whether it has bookkeeping. With `locking`, the row, its pending
    /// change entries and its bookkeeping are locked until the transaction ends (a writer of the row waits).
    static func current(
        _ db: MySQLConnection, table: LegacyTable, id: String, locking: Bool, now: String
    ) throws -> (
        record: StoredRecord?, rowKey: String, pending: [UInt64], bookkeeping: LegacyTable.Bookkeeping?, exists: Bool
    )? {
        let lockClause = locking ? " FOR UPDATE" : ""
        var row: MySQLRow?
        if let key = table.keyValue(for: id) {
            row = try db.execute(
                "SELECT \(table.selectList) FROM \(table.quotedName) t WHERE \(table.quotedKey) = ?\(lockClause)", [key]
            ).rows.first
        }
        let rowKey = row.map { LegacyTable.id(from: $0[0]) } ?? id
        var pending: [UInt64] = []
        if locking {
            pending = try db.execute(
                "SELECT change_id FROM handset_legacy_changes WHERE table_name = ? AND row_key = ? FOR UPDATE",
                [.text(table.name), .text(rowKey)]
            ).rows.map { try $0.uint64(0) }
        }
        let bookkeeping = try db.execute(
            """
            SELECT \(LegacyTable.Bookkeeping.columns) FROM handset_legacy_rows b
            WHERE b.collection = ? AND b.row_key = ?\(lockClause)
            """, [.text(table.collection), .text(rowKey)]
        ).rows.first.flatMap { try LegacyTable.Bookkeeping.read($0, from: 0) }
        if let row {
            let record = table.record(of: row, bookkeeping: bookkeeping, pendingChange: !pending.isEmpty, now: now)
            return (record, rowKey, pending, bookkeeping, true)
        }
        guard let bookkeeping else { return nil }
        return (table.tombstone(id: rowKey, bookkeeping: bookkeeping, now: now), rowKey, pending, bookkeeping, false)
    }

    // MARK: Changes made by others

    /// Folds the committed entries of the capture triggers into the bookkeeping: each row changed gets its next
    /// version and place in the feed; a row gone becomes a tombstone.
    package func absorbPendingChanges() async throws {
        let tables = self.tables
        let pending = try await pool.withConnection { db in
            !(try db.execute("SELECT change_id FROM handset_legacy_changes LIMIT 1").rows.isEmpty)
        }
        guard pending else { return }
        while true {
            let now = Timestamp.string(from: Date())
            let folded = try await pool.transaction { db in
                try Self.absorb(db, tables: tables, limit: Self.absorbBatch, now: now)
            }
            if folded < Self.absorbBatch { return }
        }
    }

    static let absorbBatch = 500

    /// Folds up to `limit` entries in the caller's transaction; returns how many it took.
    ///
    /// Folds take turns (the `legacy:absorb` row of `handset_sequences`, locked until COMMIT): a reader whose fold
    /// started after another's waits for it, and then reads that fold's results, rather than skip entries that are
    /// committed but being folded elsewhere. Entries still locked after that belong to writes in flight (`SKIP
    /// LOCKED`): a transaction of the web application not yet committed, or a write of the cloud's that folds its
    /// row itself.
    static func absorb(_ db: MySQLConnection, tables: [String: LegacyTable], limit: Int, now: String) throws -> Int {
        try db.execute(
            """
            INSERT INTO handset_sequences (name, value) VALUES ('legacy:absorb', 1)
            ON DUPLICATE KEY UPDATE value = value + 1
            """)
        let entries = try db.execute(
            """
            SELECT change_id, table_name, row_key FROM handset_legacy_changes
            ORDER BY change_id LIMIT ? FOR UPDATE SKIP LOCKED
            """, [.int(Int64(limit))]
        ).rows
        guard !entries.isEmpty else { return 0 }
        var keysByTable: [String: Set<String>] = [:]
        var ids: [UInt64] = []
        for entry in entries {
            ids.append(try entry.uint64(0))
            keysByTable[try entry.string(1), default: []].insert(try entry.string(2))
        }
        for (name, keys) in keysByTable.sorted(by: { $0.key < $1.key }) {
            guard let table = tables[name] else { continue }
            try fold(db, table: table, keys: keys.sorted(), now: now)
        }
        // Integers the database gave: safe to write into the statement.
        try db.query(
            "DELETE FROM handset_legacy_changes WHERE change_id IN (\(ids.map(String.init).joined(separator: ",")))")
        return entries.count
    }

    /// Gives each of these rows (changed by someone) its next version and place in the feed.
    static func fold(_ db: MySQLConnection, table: LegacyTable, keys: [String], now: String) throws {
        let rows = try self.rows(db, table: table, keys: keys)
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        var books: [String: LegacyTable.Bookkeeping] = [:]
        for row in try db.execute(
            """
            SELECT b.row_key, \(LegacyTable.Bookkeeping.columns) FROM handset_legacy_rows b
            WHERE b.collection = ? AND b.row_key IN (\(marks)) ORDER BY b.row_key FOR UPDATE
            """, [.text(table.collection)] + keys.map { .text($0) }
        ).rows {
            books[try row.string(0)] = try LegacyTable.Bookkeeping.read(row, from: 1)
        }
        var changed: [String] = []
        for key in keys {
            if let row = rows[key] {
                let owner = table.owner(of: row, bookkeeping: books[key])
                try upsertBookkeeping(
                    db, table: table, rowKey: key, version: books[key].map { $0.version + 1 } ?? 1, updatedAt: now,
                    owner: owner, deleted: false, lastDevice: nil, keepDevice: true)
                changed.append(key)
            } else if let bookkeeping = books[key], !bookkeeping.deleted {
                try upsertBookkeeping(
                    db, table: table, rowKey: key, version: bookkeeping.version + 1, updatedAt: now,
                    owner: bookkeeping.owner, deleted: true, lastDevice: nil, keepDevice: false)
                changed.append(key)
            }
        }
        try number(db, collection: table.collection, rowKeys: changed)
    }

    static func upsertBookkeeping(
        _ db: MySQLConnection, table: LegacyTable, rowKey: String, version: Int, updatedAt: String, owner: String,
        deleted: Bool, lastDevice: String?, keepDevice: Bool
    ) throws {
        try db.execute(
            """
            INSERT INTO handset_legacy_rows (collection, row_key, version, updated_at, seq, owner, deleted, last_device)
            VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
            ON DUPLICATE KEY UPDATE version = VALUES(version), updated_at = VALUES(updated_at), owner = VALUES(owner),
                deleted = VALUES(deleted), last_device = \(keepDevice ? "last_device" : "VALUES(last_device)")
            """,
            [
                .text(table.collection), .text(rowKey), .int(Int64(version)), .text(updatedAt), .text(owner),
                .int(deleted ? 1 : 0), MySQLValue(lastDevice),
            ])
    }

    /// Takes the collection's next feed values for these rows, in order (the sequence row stays locked until
    /// COMMIT: see `MySQLRecordRepository`). Returns each row's value.
    @discardableResult
    static func number(_ db: MySQLConnection, collection: String, rowKeys: [String]) throws -> [String: Int64] {
        guard !rowKeys.isEmpty else { return [:] }
        let count = Int64(rowKeys.count)
        let last = try db.execute(
            """
            INSERT INTO handset_sequences (name, value) VALUES (?, LAST_INSERT_ID(?))
            ON DUPLICATE KEY UPDATE value = LAST_INSERT_ID(value + ?)
            """, [.text("records:\(collection)"), .int(count), .int(count)]
        ).lastInsertID
        var numbers: [String: Int64] = [:]
        for (offset, key) in rowKeys.enumerated() {
            numbers[key] = Int64(last) - count + 1 + Int64(offset)
        }
        for key in rowKeys {
            try db.execute(
                "UPDATE handset_legacy_rows SET seq = ? WHERE collection = ? AND row_key = ?",
                [.int(numbers[key]!), .text(collection), .text(key)])
        }
        return numbers
    }
}
