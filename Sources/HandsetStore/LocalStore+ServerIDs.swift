import Foundation
import GRDB
import HandsetModel
import HandsetWire

/// Records whose ids the server's database assigns: made on this device under a temporary id, they take the
/// server's id once it answers the create.
extension LocalStore {
    /// The server created the record made here as `change.temporaryID` and gave it `created.id`. In one transaction:
    /// the cached record, its queued and refused writes and its conflict go by the new id, fields of other records
    /// that link to it (`references`, in the cache and in queued writes) name the new id, and the create's entries
    /// (`sequences`) are settled as accepted; writes queued after the create become replaces of the server's
    /// version. A copy of the record that a pull brought meanwhile (the answer was lost, the row came through the
    /// change feed) gives way to the device's own, which may hold later edits.
    public func adoptServerID(
        _ change: RecordIDChange, created: HandsetModel.Record, sequences: [Int64], references: [RecordReference],
        now: Date
    ) throws {
        try writer.write { db in
            let collection = change.collection
            let (old, new) = (change.temporaryID, change.serverID)
            if old != new {
                try db.execute(
                    sql: "DELETE FROM record WHERE collection = ? AND id = ?", arguments: [collection, new])
                try db.execute(
                    sql: "UPDATE record SET id = ? WHERE collection = ? AND id = ?", arguments: [new, collection, old])
                try db.execute(
                    sql: "UPDATE outbox SET recordId = ? WHERE collection = ? AND recordId = ?",
                    arguments: [new, collection, old])
                try db.execute(
                    sql: "DELETE FROM conflict WHERE collection = ? AND recordId = ?", arguments: [collection, new])
                try db.execute(
                    sql: "UPDATE conflict SET recordId = ? WHERE collection = ? AND recordId = ?",
                    arguments: [new, collection, old])
                for reference in references where RecordSort.isSortable(reference.field) {
                    let path = "$.\(reference.field)"
                    try db.execute(
                        sql: """
                            UPDATE record SET body = json_set(body, ?, ?)
                            WHERE collection = ? AND json_extract(body, ?) = ?
                            """,
                        arguments: [path, new, reference.collection, path, old])
                    try db.execute(
                        sql: """
                            UPDATE outbox SET body = json_set(body, ?, ?)
                            WHERE collection = ? AND body IS NOT NULL AND json_extract(body, ?) = ?
                            """,
                        arguments: [path, new, reference.collection, path, old])
                }
            }
            try Self.applyPushOutcome(
                db, collection: collection, recordId: new, sequences: sequences, outcome: .accepted(created), now: now)
        }
    }
}
