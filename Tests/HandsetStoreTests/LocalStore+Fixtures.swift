import Foundation
import GRDB
import HandsetModel

@testable import HandsetStore

/// Test fixtures: records written straight into the cache, and the file's soundness.
extension LocalStore {
    /// Replaces the synced records of a collection with these (in whatever sync state they say); records in another
    /// state stay.
    func replaceSyncedRecords(collection: String, with records: [HandsetModel.Record]) throws {
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM record WHERE collection = ? AND syncState = ?",
                arguments: [collection, SyncState.synced.rawValue])
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO record (collection, id, version, updatedAt, owner, body, syncState)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(collection, id) DO NOTHING
                    """)
            for record in records {
                try statement.execute(arguments: [
                    collection, record.id, record.version, record.updatedAt, record.owner,
                    Self.encodeBody(record.fields), record.syncState.rawValue,
                ])
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}
