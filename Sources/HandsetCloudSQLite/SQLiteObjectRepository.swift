import Foundation
import GRDB
import HandsetCloudStorage
import HandsetWire

/// The `objects` table. Every method is one transaction; files are the caller's (`ObjectStore`), which moves or
/// removes them around these calls so that a row never points at a missing file for longer than a rename.
package struct SQLiteObjectRepository: ObjectMetadataRepository {
    package let database: CloudDatabase

    package init(database: CloudDatabase) {
        self.database = database
    }

    package func object(key: String) async throws -> StoredObject? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key]).map(
                StoredObject.init(row:))
        }
    }

    /// Every object, by key.
    package func all() async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM objects ORDER BY key").map(StoredObject.init(row:))
        }
    }

    package func objects(collection: String, recordId: String) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE collection = ? AND record_id = ? ORDER BY key",
                arguments: [collection, recordId]
            ).map(StoredObject.init(row:))
        }
    }

    package func hasObjects(collection: String, recordId: String) async throws -> Bool {
        try await database.writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM objects WHERE collection = ? AND record_id = ?)",
                arguments: [collection, recordId]) ?? false
        }
    }

    /// Adds an object, replacing one with the same key (an upload URL used twice); returns the replaced one, whose
    /// file the caller removes.
    package func put(_ object: StoredObject) async throws -> StoredObject? {
        try await database.writer.write { db in
            let previous = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [object.key])
                .map(StoredObject.init(row:))
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO objects
                        (key, collection, record_id, field, owner, file, size, content_type, etag, tier, attached,
                         created_at, file_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'STANDARD', ?, ?, ?)
                    """,
                arguments: [
                    object.key, object.collection, object.recordId, object.field, object.owner, object.file,
                    object.size, object.contentType, object.eTag, object.attached,
                    object.createdAt.timeIntervalSince1970, object.fileName,
                ])
            return previous
        }
    }

    package func setAttached(keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await database.writer.write { db in
            for key in keys {
                try db.execute(sql: "UPDATE objects SET attached = 1 WHERE key = ?", arguments: [key])
            }
        }
    }

    /// Removes the rows of these keys and returns the objects removed (whose files the caller then removes).
    package func remove(keys: [String]) async throws -> [StoredObject] {
        guard !keys.isEmpty else { return [] }
        return try await database.writer.write { db in
            var removed: [StoredObject] = []
            for key in keys {
                if let object = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key])
                    .map(StoredObject.init(row:))
                {
                    try db.execute(sql: "DELETE FROM objects WHERE key = ?", arguments: [key])
                    removed.append(object)
                }
            }
            return removed
        }
    }

    /// STANDARD objects created before `date`: what the lifecycle rule archives.
    package func standardObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE tier = 'STANDARD' AND created_at < ? ORDER BY created_at",
                arguments: [date.timeIntervalSince1970]
            ).map(StoredObject.init(row:))
        }
    }

    /// How many objects `owner` uploaded that no record field has referred to yet, and their bytes: what the
    /// unattached-upload quota counts.
    package func unattachedUsage(owner: String) async throws -> (count: Int, bytes: Int) {
        try await database.writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM objects WHERE owner = ? AND attached = 0",
                arguments: [owner])
            return (row?["n"] ?? 0, row?["bytes"] ?? 0)
        }
    }

    /// Objects no record field has referred to, uploaded before `date`.
    package func unattachedObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE attached = 0 AND created_at < ? ORDER BY created_at",
                arguments: [date.timeIntervalSince1970]
            ).map(StoredObject.init(row:))
        }
    }

    /// Marks an object archived (its file has moved to the archive store).
    package func markArchived(key: String, at date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE objects SET tier = 'GLACIER', archived_at = ?, restore_ready_at = NULL,
                        restore_expires_at = NULL
                    WHERE key = ?
                    """,
                arguments: [date.timeIntervalSince1970, key])
        }
    }

    /// Starts a restore unless one is in progress or a restored copy exists; returns the object afterwards.
    package func requestRestore(key: String, now: Date, readyAt: Date, expiresAt: Date) async throws -> StoredObject? {
        try await database.writer.write { db in
            guard
                let object = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key])
                    .map(StoredObject.init(row:))
            else { return nil }
            guard object.tier == .archive, object.restoreState(at: now) == nil else { return object }
            try db.execute(
                sql: "UPDATE objects SET restore_ready_at = ?, restore_expires_at = ? WHERE key = ?",
                arguments: [readyAt.timeIntervalSince1970, expiresAt.timeIntervalSince1970, key])
            var restoring = object
            restoring.restoreReadyAt = readyAt
            restoring.restoreExpiresAt = expiresAt
            return restoring
        }
    }

    /// Forgets restored copies that have expired; returns how many.
    @discardableResult
    package func clearExpiredRestores(now: Date) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE objects SET restore_ready_at = NULL, restore_expires_at = NULL
                    WHERE tier = 'GLACIER' AND restore_expires_at IS NOT NULL AND restore_expires_at <= ?
                    """,
                arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// The file names of every row, for sweeping files that no row points at.
    package func fileNames() async throws -> Set<String> {
        try await database.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT file FROM objects"))
        }
    }
}

extension StoredObject {
    init(row: Row) {
        self.init(
            key: row["key"], collection: row["collection"], recordId: row["record_id"], field: row["field"],
            owner: row["owner"], file: row["file"], size: row["size"], contentType: row["content_type"],
            eTag: row["etag"], tier: ObjectInfo.Tier(rawValue: row["tier"]) ?? .standard, attached: row["attached"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            archivedAt: (row["archived_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            restoreReadyAt: (row["restore_ready_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            restoreExpiresAt: (row["restore_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            fileName: row["file_name"])
    }
}
