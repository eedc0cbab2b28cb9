import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// The rows of stored objects in MySQL/MariaDB (`handset_objects`). Object keys are ASCII (`ObjectKey`), kept in an
/// ASCII column so that the longest (1024 bytes) still fits a primary key; a key with anything else names no object.
package struct MySQLObjectRepository: ObjectMetadataRepository {
    let pool: MySQLPool

    private static func isStorable(_ key: String) -> Bool {
        key.unicodeScalars.allSatisfy(\.isASCII) && key.utf8.count <= 1024
    }

    package func object(key: String) async throws -> StoredObject? {
        guard Self.isStorable(key) else { return nil }
        return try await pool.withConnection { db in try Self.object(key: key, db: db) }
    }

    package func all() async throws -> [StoredObject] {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_objects ORDER BY object_key").rows.map(Self.object(from:))
        }
    }

    package func objects(collection: String, recordId: String) async throws -> [StoredObject] {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT * FROM handset_objects WHERE collection = ? AND record_id = ? ORDER BY object_key",
                [.text(collection), .text(recordId)]
            ).rows.map(Self.object(from:))
        }
    }

    package func hasObjects(collection: String, recordId: String) async throws -> Bool {
        try await pool.withConnection { db in
            !(try db.execute(
                "SELECT 1 FROM handset_objects WHERE collection = ? AND record_id = ? LIMIT 1",
                [.text(collection), .text(recordId)]
            ).rows.isEmpty)
        }
    }

    package func put(_ object: StoredObject) async throws -> StoredObject? {
        guard Self.isStorable(object.key) else {
            throw MySQLError(.typeMismatch, message: "an object key must be ASCII of at most 1024 bytes")
        }
        return try await pool.transaction { db in
            let previous = try Self.object(key: object.key, db: db, locking: true)
            try db.execute(
                """
                REPLACE INTO handset_objects (object_key, collection, record_id, field, owner, file, size,
                    content_type, etag, tier, attached, created_at, file_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'STANDARD', ?, ?, ?)
                """,
                [
                    .text(object.key), .text(object.collection), .text(object.recordId), .text(object.field),
                    .text(object.owner), .text(object.file), .int(Int64(object.size)), .text(object.contentType),
                    .text(object.eTag), MySQLValue(object.attached), .dateTime(object.createdAt),
                    MySQLValue(object.fileName),
                ])
            return previous
        }
    }

    package func setAttached(keys: [String]) async throws {
        let keys = keys.filter(Self.isStorable)
        guard !keys.isEmpty else { return }
        try await pool.transaction { db in
            for key in keys {
                try db.execute("UPDATE handset_objects SET attached = 1 WHERE object_key = ?", [.text(key)])
            }
        }
    }

    package func remove(keys: [String]) async throws -> [StoredObject] {
        let keys = keys.filter(Self.isStorable)
        guard !keys.isEmpty else { return [] }
        return try await pool.transaction { db in
            var removed: [StoredObject] = []
            for key in keys {
                if let object = try Self.object(key: key, db: db, locking: true) {
                    try db.execute("DELETE FROM handset_objects WHERE object_key = ?", [.text(key)])
                    removed.append(object)
                }
            }
            return removed
        }
    }

    package func standardObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT * FROM handset_objects WHERE tier = 'STANDARD' AND created_at < ? ORDER BY created_at",
                [.dateTime(date)]
            ).rows.map(Self.object(from:))
        }
    }

    package func unattachedUsage(owner: String) async throws -> (count: Int, bytes: Int) {
        try await pool.withConnection { db in
            guard
                let row = try db.execute(
                    "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM handset_objects WHERE owner = ? AND attached = 0",
                    [.text(owner)]
                ).rows.first
            else { return (0, 0) }
            // SUM of a BIGINT is a DECIMAL, which reads as text.
            return (try row.int(0), Int(try row.string(1)) ?? 0)
        }
    }

    package func unattachedObjects(createdBefore date: Date) async throws -> [StoredObject] {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT * FROM handset_objects WHERE attached = 0 AND created_at < ? ORDER BY created_at",
                [.dateTime(date)]
            ).rows.map(Self.object(from:))
        }
    }

    package func markArchived(key: String, at date: Date) async throws {
        try await pool.write(
            """
            UPDATE handset_objects SET tier = 'GLACIER', archived_at = ?, restore_ready_at = NULL,
                restore_expires_at = NULL
            WHERE object_key = ?
            """, [.dateTime(date), .text(key)])
    }

    package func requestRestore(key: String, now: Date, readyAt: Date, expiresAt: Date) async throws -> StoredObject? {
        guard Self.isStorable(key) else { return nil }
        return try await pool.transaction { db in
            guard let object = try Self.object(key: key, db: db, locking: true) else { return nil }
            guard object.tier == .archive, object.restoreState(at: now) == nil else { return object }
            try db.execute(
                "UPDATE handset_objects SET restore_ready_at = ?, restore_expires_at = ? WHERE object_key = ?",
                [.dateTime(readyAt), .dateTime(expiresAt), .text(key)])
            var restoring = object
            restoring.restoreReadyAt = readyAt
            restoring.restoreExpiresAt = expiresAt
            return restoring
        }
    }

    @discardableResult
    package func clearExpiredRestores(now: Date) async throws -> Int {
        Int(
            try await pool.write(
                """
                UPDATE handset_objects SET restore_ready_at = NULL, restore_expires_at = NULL
                WHERE tier = 'GLACIER' AND restore_expires_at IS NOT NULL AND restore_expires_at <= ?
                """, [.dateTime(now)]
            ).affectedRows)
    }

    package func fileNames() async throws -> Set<String> {
        try await pool.withConnection { db in
            Set(try db.execute("SELECT file FROM handset_objects").rows.map { try $0.string(0) })
        }
    }

    private static func object(key: String, db: MySQLConnection, locking: Bool = false) throws -> StoredObject? {
        try db.execute(
            "SELECT * FROM handset_objects WHERE object_key = ?" + (locking ? " FOR UPDATE" : ""), [.text(key)]
        ).rows.first.map(object(from:))
    }

    private static func object(from row: MySQLRow) throws -> StoredObject {
        StoredObject(
            key: try row.string("object_key"), collection: try row.string("collection"),
            recordId: try row.string("record_id"), field: try row.string("field"), owner: try row.string("owner"),
            file: try row.string("file"), size: try row.int("size"), contentType: try row.string("content_type"),
            eTag: try row.string("etag"), tier: ObjectInfo.Tier(rawValue: try row.string("tier")) ?? .standard,
            attached: try row.bool("attached"), createdAt: try row.date("created_at"),
            archivedAt: try row.optionalDate("archived_at"), restoreReadyAt: try row.optionalDate("restore_ready_at"),
            restoreExpiresAt: try row.optionalDate("restore_expires_at"), fileName: try row.optionalString("file_name"))
    }
}
