import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Change capture for mapped tables: AFTER INSERT, UPDATE and DELETE triggers that write the changed row's key to
/// `handset_legacy_changes`, in the writer's own transaction (a rolled-back write leaves no entry; a committed one
/// always does, whoever made it: the web application, a cron job, someone at the `mysql` prompt).
///
/// Why triggers and not the binary log: they need only the TRIGGER privilege on the mapped tables (the binary log
/// needs REPLICATION SLAVE and binlog_format=ROW on the server, which shared LAMP hosting rarely grants); an entry
/// commits or rolls back with the write itself, so nothing is lost across restarts of the cloud and there is no log
/// position to keep; and the cost to the web application is one small insert per changed row, with no lock any
/// other writer waits for (see the README for the measurement).
///
/// An UPDATE that changes no column leaves no entry (one that changes only a column stamped on update, ON UPDATE
/// CURRENT_TIMESTAMP, is taken for one that changes nothing). Trigger names carry a hash of their body, so that a new
/// mapping's triggers are created before the old ones are dropped: no write goes uncaptured in between.
enum LegacyCapture {
    struct Trigger: Equatable {
        var name: String
        var timing: String
        var statement: String
    }

    static let namePrefix = "handset_"

    /// The triggers a table needs.
    static func triggers(for table: LegacyTable, description: LegacyTableDescription) -> [Trigger] {
        let literal = "'" + table.name + "'"
        let key = LegacyTable.quote(table.key.name)
        let insert = "INSERT INTO handset_legacy_changes (table_name, row_key) VALUES (\(literal), NEW.\(key))"
        // Generated columns follow the others; a column the server stamps on update (ON UPDATE CURRENT_TIMESTAMP)
        // changes only with another one, and MariaDB shows the trigger its new stamp even when nothing changed.
        let compared = description.columns.filter { !$0.isGenerated && !$0.updatesOnWrite }.map { column in
            let quoted = LegacyTable.quote(column.name)
            return "OLD.\(quoted) <=> NEW.\(quoted)"
        }
        let update = """
            BEGIN
              IF NOT (\(compared.joined(separator: " AND "))) THEN
                \(insert);
                IF NOT (OLD.\(key) <=> NEW.\(key)) THEN
                  INSERT INTO handset_legacy_changes (table_name, row_key) VALUES (\(literal), OLD.\(key));
                END IF;
              END IF;
            END
            """
        let delete = "INSERT INTO handset_legacy_changes (table_name, row_key) VALUES (\(literal), OLD.\(key))"
        return [
            Trigger(name: name("ai", table: table.name, body: insert), timing: "AFTER INSERT", statement: insert),
            Trigger(name: name("au", table: table.name, body: update), timing: "AFTER UPDATE", statement: update),
            Trigger(name: name("ad", table: table.name, body: delete), timing: "AFTER DELETE", statement: delete),
        ]
    }

    /// `handset_<ai|au|ad>_<hash of the body>_<table, cut>`: at most 64 characters.
    static func name(_ event: String, table: String, body: String) -> String {
        "\(namePrefix)\(event)_\(hash(table + "\n" + body))_\(table.prefix(40))"
    }

    /// FNV-1a, 32 bits, as 8 hex digits: tells one body from another, nothing more.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Whether a table has exactly the triggers its mapping needs.
    static func isInstalled(_ db: MySQLConnection, table: LegacyTable) throws -> Bool {
        guard let description = try LegacyTableInspector.describe(db, table: table.name) else { return false }
        let existing = try LegacyTableInspector.triggers(db, table: table.name)
        return triggers(for: table, description: description).allSatisfy { existing[$0.name] != nil }
    }

    /// What `install` or `remove` did, a line per table, for the operator.
    struct Report: Sendable, Equatable {
        var lines: [String] = []
    }

    /// Creates the triggers each table lacks (dropping those of an earlier mapping only after), then enters rows the
    /// feed does not know yet (existing rows, the first time) into it. A table whose triggers were missing while
    /// the feed already knew its rows had capture turned off for a while: every row is marked changed, so that
    /// devices fetch them all again rather than keep what may be stale. Throws `LegacyCaptureError` naming the
    /// privilege the database user lacks.
    static func install(_ pool: MySQLPool, mappings: [LegacyTableMapping], now: Date = Date()) async throws -> Report {
        var report = Report()
        for mapping in mappings {
            let (table, created, dropped, wasOff) = try await pool.withConnection { db in
                let description = try LegacyTableInspector.describe(db, table: mapping.table)
                let table = try LegacyTable(mapping: mapping, description: description)
                let wanted = triggers(for: table, description: description!)
                let existing = try LegacyTableInspector.triggers(db, table: table.name)
                let ours = existing.keys.filter { $0.hasPrefix(namePrefix) }
                let known =
                    try db.execute(
                        "SELECT 1 FROM handset_legacy_rows WHERE collection = ? LIMIT 1", [.text(table.collection)]
                    ).rows.isEmpty == false
                var created: [String] = []
                for trigger in wanted where existing[trigger.name] == nil {
                    do {
                        try db.query(
                            "CREATE TRIGGER \(LegacyTable.quote(trigger.name)) \(trigger.timing) ON \(table.quotedName) "
                                + "FOR EACH ROW \(trigger.statement)")
                    } catch let error as MySQLError {
                        throw LegacyCaptureError(error, table: table.name, user: pool.configuration.user)
                    }
                    created.append(trigger.name)
                }
                let wantedNames = Set(wanted.map(\.name))
                var dropped: [String] = []
                for name in ours.sorted() where !wantedNames.contains(name) {
                    do {
                        try db.query("DROP TRIGGER IF EXISTS \(LegacyTable.quote(name))")
                    } catch let error as MySQLError {
                        throw LegacyCaptureError(error, table: table.name, user: pool.configuration.user)
                    }
                    dropped.append(name)
                }
                return (table, created, dropped, ours.isEmpty && known)
            }
            if created.isEmpty {
                report.lines.append("capture: \(table.name): triggers in place")
            } else {
                report.lines.append(
                    "capture: \(table.name): created triggers \(created.joined(separator: ", ")) (each insert, update "
                        + "and delete of a row is noted in handset_legacy_changes)")
            }
            if !dropped.isEmpty {
                report.lines.append(
                    "capture: \(table.name): dropped triggers made for an earlier definition of the table: "
                        + dropped.joined(separator: ", ")
                )
            }
            let stamp = Timestamp.string(from: now)
            if wasOff {
                let marked = try await markAllChanged(pool, table: table, now: stamp)
                report.lines.append(
                    "capture: \(table.name): capture was off, so \(marked) rows are marked changed (devices fetch them "
                        + "again)")
            }
            let entered = try await enterUnknownRows(pool, table: table, now: stamp)
            if entered > 0 {
                report.lines.append("capture: \(table.name): \(entered) existing rows entered in the change feed")
            }
        }
        return report
    }

    /// Gives rows the feed does not know a version and a place in the feed, in key order, a chunk per transaction.
    static func enterUnknownRows(_ pool: MySQLPool, table: LegacyTable, now: String) async throws -> Int {
        var after: MySQLValue?
        var entered = 0
        while true {
            let start = after
            let (last, added) = try await pool.transaction { db -> (MySQLValue?, Int) in
                var sql = """
                    SELECT \(table.quotedKey), b.row_key, \(table.owner.map { "CAST(t.\(LegacyTable.quote($0.name)) AS CHAR)" } ?? "''")
                    FROM \(table.quotedName) t LEFT JOIN handset_legacy_rows b
                        ON b.collection = ? AND b.row_key = \(table.keyAsRowKey)
                    """
                var parameters: [MySQLValue] = [.text(table.collection)]
                if let start {
                    sql += " WHERE \(table.quotedKey) > ?"
                    parameters.append(start)
                }
                sql += " ORDER BY \(table.quotedKey) LIMIT 1000"
                let rows = try db.execute(sql, parameters).rows
                var keys: [String] = []
                for row in rows where row[1] == .null {
                    let key = LegacyTable.id(from: row[0])
                    try db.execute(
                        """
                        INSERT IGNORE INTO handset_legacy_rows (collection, row_key, version, updated_at, seq, owner)
                        VALUES (?, ?, 1, ?, NULL, ?)
                        """, [.text(table.collection), .text(key), .text(now), .text(LegacyValueCodec.string(row[2]))])
                    keys.append(key)
                }
                try MySQLLegacyRecordRepository.number(db, collection: table.collection, rowKeys: keys)
                let next: MySQLValue? = rows.count < 1000 ? Optional.none : rows.last?[0]
                return (next, keys.count)
            }
            entered += added
            guard let last else { return entered }
            after = last
        }
    }

    /// Gives every row the feed knows its next version and a new place in the feed (a tombstone for rows gone).
    static func markAllChanged(_ pool: MySQLPool, table: LegacyTable, now: String) async throws -> Int {
        var after = ""
        var marked = 0
        while true {
            let start = after
            let (last, count) = try await pool.transaction { db -> (String?, Int) in
                let keys = try db.execute(
                    """
                    SELECT row_key FROM handset_legacy_rows WHERE collection = ? AND row_key > ?
                    ORDER BY row_key LIMIT 500
                    """, [.text(table.collection), .text(start)]
                ).rows.map { try $0.string(0) }
                guard !keys.isEmpty else { return (nil, 0) }
                try MySQLLegacyRecordRepository.fold(db, table: table, keys: keys, now: now)
                return (keys.count < 500 ? nil : keys.last, keys.count)
            }
            marked += count
            guard let last else { return marked }
            after = last
        }
    }

    /// Drops the triggers of these tables and their pending entries. The bookkeeping stays: devices keep their
    /// versions, and the next `install` marks every row changed.
    static func remove(_ pool: MySQLPool, tables names: [String]) async throws -> Report {
        var report = Report()
        for name in names {
            let dropped = try await pool.withConnection { db -> [String] in
                let ours = try LegacyTableInspector.triggers(db, table: name).keys.filter { $0.hasPrefix(namePrefix) }
                for trigger in ours.sorted() {
                    do {
                        try db.query("DROP TRIGGER IF EXISTS \(LegacyTable.quote(trigger))")
                    } catch let error as MySQLError {
                        throw LegacyCaptureError(error, table: name, user: pool.configuration.user)
                    }
                }
                try db.execute("DELETE FROM handset_legacy_changes WHERE table_name = ?", [.text(name)])
                return ours.sorted()
            }
            report.lines.append(
                dropped.isEmpty
                    ? "capture: \(name): no triggers of the cloud's"
                    : "capture: \(name): dropped triggers \(dropped.joined(separator: ", "))")
        }
        return report
    }
}

/// The database refused to create or drop a capture trigger: says which privilege is missing and how to grant it.
package struct LegacyCaptureError: Error, CustomStringConvertible {
    package var description: String

    init(_ error: MySQLError, table: String, user: String) {
        switch error.number {
        case 1142, 1044, 1227:
            description =
                "cannot set up change capture on table \(table): the database user \(user) lacks the TRIGGER "
                + "privilege on it (GRANT TRIGGER ON <database>.\(table) TO '\(user)'@'<host>'), or run "
                + "`handset-cloud capture install` as a user who has it (\(error))"
        case 1419:
            description =
                "cannot set up change capture on table \(table): binary logging is on, so creating triggers needs the "
                + "SUPER privilege or log_bin_trust_function_creators = 1 (SET GLOBAL log_bin_trust_function_creators "
                + "= 1, as an administrator) (\(error))"
        default:
            description = "cannot set up change capture on table \(table): \(error)"
        }
    }
}
