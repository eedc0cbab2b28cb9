import Foundation
import GRDB
import HandsetModel
import HandsetWire

/// Local edits: each one changes the cached record and queues an outbox entry in the same transaction, so an edit
/// is either wholly there (visible, pending, and queued) or not at all, whatever moment the process dies.
extension LocalStore {
    /// Creates a record with a client-chosen id. Returns it as the list shows it (pending).
    @discardableResult
    public func createRecord(
        collection: String, id: String, fields: [String: JSONValue], owner: String, now: Date
    )
        throws -> HandsetModel.Record
    {
        let body = Self.userFields(fields)
        let stamp = Self.timestamp(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO record (collection, id, version, updatedAt, owner, body, syncState)
                    VALUES (?, ?, 0, ?, ?, ?, 'pending')
                    """,
                arguments: [collection, id, stamp, owner, Self.encodeBody(body)])
            try Self.enqueue(
                db, collection: collection, id: id, operation: .create, fields: body, baseVersion: nil, now: now)
        }
        return HandsetModel.Record(
            id: id, version: 0, updatedAt: stamp, owner: owner, fields: body, syncState: .pending)
    }

    /// Replaces a record's fields locally and queues the write against the server version the device last saw.
    public func updateRecord(collection: String, id: String, fields: [String: JSONValue], now: Date) throws {
        let body = Self.userFields(fields)
        try writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT version FROM record WHERE collection = ? AND id = ? AND NOT locallyDeleted",
                    arguments: [collection, id])
            else { throw StoreError.recordNotFound(collection: collection, id: id) }
            let version: Int = row["version"]
            // A fix of a refused write replaces it: the refusal is settled, the fixed version is sent.
            try Self.dropRefused(db, collection: collection, id: id)
            try db.execute(
                sql: """
                    UPDATE record SET body = ?, updatedAt = ?, syncState = 'pending'
                    WHERE collection = ? AND id = ?
                    """,
                arguments: [Self.encodeBody(body), Self.timestamp(now), collection, id])
            // A record not yet created on the server has version 0: its queued create will carry the new body.
            try Self.enqueue(
                db, collection: collection, id: id, operation: version == 0 ? .create : .replace, fields: body,
                baseVersion: version == 0 ? nil : version, now: now)
        }
    }

    /// Deletes a record locally (hidden at once) and queues the delete.
    public func deleteRecord(collection: String, id: String, now: Date) throws {
        try writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT version FROM record WHERE collection = ? AND id = ? AND NOT locallyDeleted",
                    arguments: [collection, id])
            else { throw StoreError.recordNotFound(collection: collection, id: id) }
            let version: Int = row["version"]
            try Self.dropRefused(db, collection: collection, id: id)
            let queued =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM outbox WHERE collection = ? AND recordId = ? AND state = 'queued'",
                    arguments: [collection, id]) ?? 0
            if version == 0, queued == 0 {
                // Never created on the server (its create was refused): nothing to tell it.
                try db.execute(sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, id])
                return
            }
            try db.execute(
                sql: "UPDATE record SET locallyDeleted = 1, syncState = 'pending' WHERE collection = ? AND id = ?",
                arguments: [collection, id])
            try Self.enqueue(
                db, collection: collection, id: id, operation: .delete, fields: nil, baseVersion: version, now: now)
        }
    }

    /// Writes the server refused, one per record (the latest reason), oldest first.
    public func refusals() throws -> [Refusal] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT collection, recordId, operation, lastError, rejectedStatus, MAX(sequence) AS sequence
                    FROM outbox WHERE state = 'rejected' GROUP BY collection, recordId ORDER BY MIN(sequence)
                    """
            ).map { row in
                Refusal(
                    collection: row["collection"], recordId: row["recordId"],
                    operation: OutboxEntry.Operation(rawValue: row["operation"]) ?? .replace,
                    reason: row["lastError"] ?? "refused by the server", status: row["rejectedStatus"] ?? 400)
            }
        }
    }

    /// The refusal of one record's write, if the server refused it.
    public func refusal(collection: String, id: String) throws -> Refusal? {
        try refusals().first { $0.collection == collection && $0.recordId == id }
    }

    /// Gives up a refused write: the record goes back to the server's version (or away, if the server never had
    /// it). Returns whether there was one.
    @discardableResult
    public func discardRefused(collection: String, id: String) throws -> Bool {
        try writer.write { db in
            let refused =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM outbox WHERE collection = ? AND recordId = ? AND state = 'rejected'",
                    arguments: [collection, id]) ?? 0
            guard refused > 0 else { return false }
            try Self.dropRefused(db, collection: collection, id: id)
            let queued =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM outbox WHERE collection = ? AND recordId = ? AND state = 'queued'",
                    arguments: [collection, id]) ?? 0
            guard queued == 0 else { return true }
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT version, baseBody FROM record WHERE collection = ? AND id = ?",
                    arguments: [collection, id])
            else { return true }
            let version: Int = row["version"]
            let base: String? = row["baseBody"]
            if version == 0 || base == nil {
                try db.execute(sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, id])
            } else {
                try db.execute(
                    sql: """
                        UPDATE record SET body = baseBody, syncState = 'synced', locallyDeleted = 0
                        WHERE collection = ? AND id = ?
                        """,
                    arguments: [collection, id])
            }
            return true
        }
    }

    static func dropRefused(_ db: Database, collection: String, id: String) throws {
        try db.execute(
            sql: "DELETE FROM outbox WHERE collection = ? AND recordId = ? AND state = 'rejected'",
            arguments: [collection, id])
    }

    /// Entries waiting to be sent, oldest first.
    public func queuedEntries(limit: Int = 500) throws -> [OutboxEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE state = 'queued' ORDER BY sequence LIMIT ?", arguments: [limit]
            ).map(Self.entry(from:))
        }
    }

    /// Every entry, rejected ones included (for `handset status`).
    public func outboxEntries() throws -> [OutboxEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY sequence").map(Self.entry(from:))
        }
    }

    /// How many writes wait to be sent.
    public func pendingCount() throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'queued'") ?? 0
        }
    }

    /// One record by id, even if locally deleted.
    public func record(collection: String, id: String) throws -> HandsetModel.Record? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM record WHERE collection = ? AND id = ?", arguments: [collection, id]
            ).map(Self.record(from:))
        }
    }

    static func enqueue(
        _ db: Database, collection: String, id: String, operation: OutboxEntry.Operation, fields: [String: JSONValue]?,
        baseVersion: Int?, now: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO outbox (collection, recordId, operation, body, baseVersion, state, createdAt)
                VALUES (?, ?, ?, ?, ?, 'queued', ?)
                """,
            arguments: [
                collection, id, operation.rawValue, fields.map(encodeBody), baseVersion, now.timeIntervalSince1970,
            ])
    }

    static func entry(from row: Row) -> OutboxEntry {
        let body: String? = row["body"]
        return OutboxEntry(
            sequence: row["sequence"], collection: row["collection"], recordId: row["recordId"],
            operation: OutboxEntry.Operation(rawValue: row["operation"]) ?? .replace,
            fields: body.flatMap { try? JSONValue.parse(Data($0.utf8)) }?.objectValue, baseVersion: row["baseVersion"],
            state: OutboxEntry.State(rawValue: row["state"]) ?? .queued, lastError: row["lastError"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"]))
    }

    static func userFields(_ fields: [String: JSONValue]) -> [String: JSONValue] {
        fields.filter { !RecordField.serverManaged.contains($0.key) }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// A store operation that cannot be done.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case recordNotFound(collection: String, id: String)

    public var description: String {
        switch self {
        case .recordNotFound(let collection, let id): return "no \(collection) record \(id) in the local cache"
        }
    }
}
