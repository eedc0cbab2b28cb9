import Foundation
import GRDB
import HandsetModel
import HandsetWire

/// What the server said about one pushed write.
public enum PushOutcome: Sendable, Equatable {
    /// Done; the server's record after the write (`nil` after a delete).
    case accepted(HandsetModel.Record?)
    /// The record changed on the server first (412): the current server record, `nil` if it was deleted there.
    case conflict(theirs: HandsetModel.Record?)
    /// Refused for good, with the server's reason and status (400 bad fields, 403 no rule allows it, ...).
    case rejected(String, status: Int = 400)
}

/// Applying the server's side of sync: change-feed pages and push results, each in one transaction.
extension LocalStore {
    /// Applies one change-feed page and saves its cursor in the same transaction, so a kill between pages resumes at
    /// the next one and never applies a page twice. Records with local edits keep them (the push will settle them).
    /// Returns how many items were applied (bad items are skipped, never blocking the rest).
    @discardableResult
    public func applyChanges(collection: String, items: [JSONValue], cursor: String, complete: Bool) throws -> Int {
        try writer.write { db in
            var applied = 0
            // Records with writes on their way, a conflict or a refused write keep the device's version until the
            // person settles them; a refused write whose record was deleted on the server has nothing left to settle.
            let busy = try Set(
                String.fetchAll(
                    db,
                    sql: """
                        SELECT recordId FROM outbox WHERE collection = ? AND state = 'queued'
                        UNION SELECT recordId FROM conflict WHERE collection = ?
                        """,
                    arguments: [collection, collection]))
            let refused = try Set(
                String.fetchAll(
                    db, sql: "SELECT recordId FROM outbox WHERE collection = ? AND state = 'rejected'",
                    arguments: [collection]))
            let dropRefused = try db.makeStatement(
                sql: "DELETE FROM outbox WHERE collection = ? AND recordId = ? AND state = 'rejected'")
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO record (collection, id, version, updatedAt, owner, body, baseBody, syncState, locallyDeleted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'synced', 0)
                    ON CONFLICT(collection, id) DO UPDATE SET
                        version = excluded.version, updatedAt = excluded.updatedAt, owner = excluded.owner,
                        body = excluded.body, baseBody = excluded.baseBody, syncState = 'synced', locallyDeleted = 0
                    WHERE excluded.version >= record.version
                    """)
            let remove = try db.makeStatement(sql: "DELETE FROM record WHERE collection = ? AND id = ?")
            // The rows this page may write leave the full-text index before and come back after, in two statements
            // (see migration v7); rows it leaves alone (local edits, refusals) keep their entries.
            let written = items.compactMap { item -> String? in
                guard let id = item[RecordField.id]?.stringValue, !busy.contains(id) else { return nil }
                return refused.contains(id) && item[RecordField.deleted]?.boolValue != true ? nil : id
            }
            let page = CanonicalJSON.text(.array(written.map(JSONValue.string)))
            try db.execute(
                sql: "INSERT INTO searchIndexedByStatement (collection) VALUES (?)", arguments: [collection])
            try db.execute(
                sql: """
                    INSERT INTO recordSearch (recordSearch, rowid, body)
                    SELECT 'delete', rowid, body FROM record
                    WHERE collection = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY rowid
                    """,
                arguments: [collection, page])
            for item in items {
                guard let id = item[RecordField.id]?.stringValue else { continue }
                if busy.contains(id) { continue }
                if item[RecordField.deleted]?.boolValue == true {
                    if refused.contains(id) { try dropRefused.execute(arguments: [collection, id]) }
                    try remove.execute(arguments: [collection, id])
                    applied += 1
                    continue
                }
                if refused.contains(id) { continue }
                guard let record = HandsetModel.Record(json: item) else { continue }
                let body = Self.encodeBody(record.fields)
                try upsert.execute(arguments: [
                    collection, record.id, record.version, record.updatedAt, record.owner, body, body,
                ])
                applied += 1
            }
            // In rowid order: FTS5 also flushes whenever a rowid comes lower than the one before.
            try db.execute(
                sql: """
                    INSERT INTO recordSearch (rowid, body)
                    SELECT rowid, body FROM record
                    WHERE collection = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY rowid
                    """,
                arguments: [collection, page])
            try db.execute(
                sql: "DELETE FROM searchIndexedByStatement WHERE collection = ?", arguments: [collection])
            try db.execute(
                sql: """
                    INSERT INTO syncCursor (collection, cursor, complete) VALUES (?, ?, ?)
                    ON CONFLICT(collection) DO UPDATE SET cursor = excluded.cursor,
                        complete = MAX(syncCursor.complete, excluded.complete)
                    """,
                arguments: [collection, cursor, complete])
            return applied
        }
    }

    /// Where the change feed of `collection` was left, and whether a first full sync has finished.
    public func syncCursor(collection: String) throws -> (cursor: String?, complete: Bool) {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT cursor, complete FROM syncCursor WHERE collection = ?", arguments: [collection])
            else { return (nil, false) }
            return (row["cursor"], row["complete"])
        }
    }

    /// One record's answer from a push, for `applyPushOutcomes`.
    public struct PushSettlement: Sendable {
        public var collection: String
        public var recordId: String
        public var sequences: [Int64]
        public var outcome: PushOutcome

        public init(collection: String, recordId: String, sequences: [Int64], outcome: PushOutcome) {
            self.collection = collection
            self.recordId = recordId
            self.sequences = sequences
            self.outcome = outcome
        }
    }

    /// Records the server's answers to a whole batch in one transaction (one durable commit, not one per record).
    public func applyPushOutcomes(_ settlements: [PushSettlement], now: Date) throws {
        guard !settlements.isEmpty else { return }
        try writer.write { db in
            for settlement in settlements {
                try Self.applyPushOutcome(
                    db, collection: settlement.collection, recordId: settlement.recordId,
                    sequences: settlement.sequences,
                    outcome: settlement.outcome, now: now)
            }
        }
    }

    /// Records the server's answer to the pushed entries `sequences` (one record's coalesced writes).
    public func applyPushOutcome(
        collection: String, recordId: String, sequences: [Int64], outcome: PushOutcome, now: Date
    ) throws {
        try writer.write { db in
            try Self.applyPushOutcome(
                db, collection: collection, recordId: recordId, sequences: sequences, outcome: outcome, now: now)
        }
    }

    static func applyPushOutcome(
        _ db: Database, collection: String, recordId: String, sequences: [Int64], outcome: PushOutcome, now: Date
    ) throws {
        do {
            let placeholders = sequences.map { _ in "?" }.joined(separator: ",")
            switch outcome {
            case .accepted(let server):
                try db.execute(
                    sql: "DELETE FROM outbox WHERE sequence IN (\(placeholders))",
                    arguments: StatementArguments(sequences))
                let remaining =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM outbox WHERE collection = ? AND recordId = ? AND state = 'queued'",
                        arguments: [collection, recordId]) ?? 0
                guard let server else {
                    if remaining == 0 {
                        try db.execute(
                            sql: "DELETE FROM record WHERE collection = ? AND id = ?",
                            arguments: [collection, recordId])
                    }
                    return
                }
                let body = Self.encodeBody(server.fields)
                if remaining == 0 {
                    try db.execute(
                        sql: """
                            UPDATE record SET version = ?, updatedAt = ?, owner = ?, body = ?, baseBody = ?,
                                syncState = 'synced'
                            WHERE collection = ? AND id = ?
                            """,
                        arguments: [server.version, server.updatedAt, server.owner, body, body, collection, recordId])
                } else {
                    // Later edits of this record are still queued: keep them, and point them at the new version.
                    try db.execute(
                        sql: """
                            UPDATE record SET version = ?, owner = ?, baseBody = ? WHERE collection = ? AND id = ?
                            """,
                        arguments: [server.version, server.owner, body, collection, recordId])
                    try db.execute(
                        sql: """
                            UPDATE outbox SET baseVersion = ?,
                                operation = CASE operation WHEN 'create' THEN 'replace' ELSE operation END
                            WHERE collection = ? AND recordId = ? AND state = 'queued'
                            """,
                        arguments: [server.version, collection, recordId])
                }
            case .conflict(let theirs):
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT body, baseBody, locallyDeleted FROM record WHERE collection = ? AND id = ?",
                        arguments: [collection, recordId])
                else { return }
                let locallyDeleted: Bool = row["locallyDeleted"]
                let mine: String? = locallyDeleted ? nil : row["body"]
                // Every queued write of this record is now part of "mine".
                try db.execute(
                    sql: "DELETE FROM outbox WHERE collection = ? AND recordId = ? AND state = 'queued'",
                    arguments: [collection, recordId])
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO conflict (collection, recordId, base, mine, theirs, detectedAt)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        collection, recordId, row["baseBody"] as String?, mine,
                        theirs.map { String(decoding: $0.json.encoded(), as: UTF8.self) }, now.timeIntervalSince1970,
                    ])
                try db.execute(
                    sql:
                        "UPDATE record SET syncState = 'conflicted', locallyDeleted = 0 WHERE collection = ? AND id = ?",
                    arguments: [collection, recordId])
            case .rejected(let reason, let status):
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'rejected', lastError = ?, rejectedStatus = ?
                        WHERE sequence IN (\(placeholders))
                        """,
                    arguments: StatementArguments([reason, status] as [any DatabaseValueConvertible] + sequences))
                try db.execute(
                    sql: "UPDATE record SET syncState = 'rejected', locallyDeleted = 0 WHERE collection = ? AND id = ?",
                    arguments: [collection, recordId])
            }
        }
    }

    /// Drops an entry that needs nothing from the server (for example a create followed by a delete, both offline).
    public func discardLocalOnly(collection: String, recordId: String, sequences: [Int64]) throws {
        try writer.write { db in
            let placeholders = sequences.map { _ in "?" }.joined(separator: ",")
            try db.execute(
                sql: "DELETE FROM outbox WHERE sequence IN (\(placeholders))", arguments: StatementArguments(sequences))
            try db.execute(
                sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, recordId])
        }
    }
}

/// Conflicts: listing and resolving them.
extension LocalStore {
    public func conflicts() throws -> [Conflict] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM conflict ORDER BY detectedAt, collection, recordId").map { row in
                func object(_ text: String?) -> [String: JSONValue]? {
                    text.flatMap { try? JSONValue.parse(Data($0.utf8)) }?.objectValue
                }
                let theirsText: String? = row["theirs"]
                return Conflict(
                    collection: row["collection"], recordId: row["recordId"], base: object(row["base"]),
                    mine: object(row["mine"]),
                    theirs: theirsText.flatMap { try? JSONValue.parse(Data($0.utf8)) }.flatMap {
                        HandsetModel.Record(json: $0)
                    },
                    detectedAt: Date(timeIntervalSince1970: row["detectedAt"]))
            }
        }
    }

    /// Ends a conflict: takes the server's record, or queues this device's (or a merged) version against it.
    public func resolveConflict(collection: String, recordId: String, resolution: ConflictResolution, now: Date) throws
    {
        guard let conflict = try conflicts().first(where: { $0.collection == collection && $0.recordId == recordId })
        else { throw StoreError.recordNotFound(collection: collection, id: recordId) }
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM conflict WHERE collection = ? AND recordId = ?", arguments: [collection, recordId])
            let chosen: [String: JSONValue]?
            switch resolution {
            case .takeTheirs:
                if let theirs = conflict.theirs {
                    let body = Self.encodeBody(theirs.fields)
                    try db.execute(
                        sql: """
                            UPDATE record SET version = ?, updatedAt = ?, owner = ?, body = ?, baseBody = ?,
                                syncState = 'synced', locallyDeleted = 0
                            WHERE collection = ? AND id = ?
                            """,
                        arguments: [theirs.version, theirs.updatedAt, theirs.owner, body, body, collection, recordId])
                } else {
                    try db.execute(
                        sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, recordId])
                }
                return
            case .keepMine: chosen = conflict.mine
            case .merged(let fields): chosen = Self.userFields(fields)
            }
            let theirsVersion = conflict.theirs?.version
            if let chosen {
                try db.execute(
                    sql: """
                        UPDATE record SET body = ?, version = COALESCE(?, version), syncState = 'pending',
                            locallyDeleted = 0
                        WHERE collection = ? AND id = ?
                        """,
                    arguments: [Self.encodeBody(chosen), theirsVersion, collection, recordId])
                try Self.enqueue(
                    db, collection: collection, id: recordId, operation: theirsVersion == nil ? .create : .replace,
                    fields: chosen, baseVersion: theirsVersion, now: now)
            } else if let theirsVersion {
                try db.execute(
                    sql: """
                        UPDATE record SET version = ?, syncState = 'pending', locallyDeleted = 1
                        WHERE collection = ? AND id = ?
                        """,
                    arguments: [theirsVersion, collection, recordId])
                try Self.enqueue(
                    db, collection: collection, id: recordId, operation: .delete, fields: nil,
                    baseVersion: theirsVersion,
                    now: now)
            } else {
                // Both sides deleted it.
                try db.execute(
                    sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, recordId])
            }
        }
    }
}
