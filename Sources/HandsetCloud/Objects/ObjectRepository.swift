import Foundation
import GRDB
import HandsetWire

/// The `objects` table. Every method is one transaction; files are the caller's (`ObjectStore`), which moves or
/// removes them around these calls so that a row never points at a missing file for longer than a rename.
struct ObjectRepository: Sendable {
    let database: CloudDatabase

    func object(key: String) async throws -> StoredObject? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key]).map(StoredObject.init)
        }
    }

    /// Every object, by key.
    func all() async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM objects ORDER BY key").map(StoredObject.init)
        }
    }

    func objects(collection: String, recordId: String) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE collection = ? AND record_id = ? ORDER BY key",
                arguments: [collection, recordId]
            ).map(StoredObject.init)
        }
    }

    func hasObjects(collection: String, recordId: String) async throws -> Bool {
        try await database.writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM objects WHERE collection = ? AND record_id = ?)",
                arguments: [collection, recordId]) ?? false
        }
    }

    /// Adds an object, replacing one with the same key (an upload URL used twice); returns the replaced one, whose
    /// file the caller removes.
    func put(_ object: StoredObject) async throws -> StoredObject? {
        try await database.writer.write { db in
            let previous = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [object.key])
                .map(StoredObject.init)
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

    func setAttached(keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await database.writer.write { db in
            for key in keys {
                try db.execute(sql: "UPDATE objects SET attached = 1 WHERE key = ?", arguments: [key])
            }
        }
    }

    /// Removes the rows of these keys and returns the objects removed (whose files the caller then removes).
    func remove(keys: [String]) async throws -> [StoredObject] {
        guard !keys.isEmpty else { return [] }
        return try await database.writer.write { db in
            var removed: [StoredObject] = []
            for key in keys {
                if let object = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key])
                    .map(StoredObject.init)
                {
                    try db.execute(sql: "DELETE FROM objects WHERE key = ?", arguments: [key])
                    removed.append(object)
                }
            }
            return removed
        }
    }

    /// STANDARD objects created before `date`: what the lifecycle rule archives.
    func standardObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE tier = 'STANDARD' AND created_at < ? ORDER BY created_at",
                arguments: [date.timeIntervalSince1970]
            ).map(StoredObject.init)
        }
    }

    /// How many objects `owner` uploaded that no record field has referred to yet, and their bytes: what the
    /// unattached-upload quota counts.
    func unattachedUsage(owner: String) async throws -> (count: Int, bytes: Int) {
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
    func unattachedObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE attached = 0 AND created_at < ? ORDER BY created_at",
                arguments: [date.timeIntervalSince1970]
            ).map(StoredObject.init)
        }
    }

    /// Marks an object archived (its file has moved to the archive store).
    func markArchived(key: String, at date: Date) async throws {
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
    func requestRestore(key: String, now: Date, readyAt: Date, expiresAt: Date) async throws -> StoredObject? {
        try await database.writer.write { db in
            guard
                let object = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE key = ?", arguments: [key])
                    .map(StoredObject.init)
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
    func clearExpiredRestores(now: Date) async throws -> Int {
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
    func fileNames() async throws -> Set<String> {
        try await database.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT file FROM objects"))
        }
    }
}
