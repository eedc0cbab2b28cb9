import Foundation
import GRDB
import HandsetWire

/// Records in the cloud's SQLite database.
struct SQLiteRecordRepository: RecordRepository {
    let database: CloudDatabase

    func list(collection: String, owner: String, afterId: String?, limit: Int) async throws -> [StoredRecord] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM records
                    WHERE collection = ? AND owner = ? AND deleted = 0 AND id > ?
                    ORDER BY id
                    LIMIT ?
                    """,
                arguments: [collection, owner, afterId ?? "", limit]
            ).map(Self.record(from:))
        }
    }

    @discardableResult
    func create(
        collection: String, id: String, owner: String, body: [String: JSONValue], at date: Date
    ) async throws
        -> StoredRecord
    {
        let fields = body.filter { !RecordField.serverManaged.contains($0.key) }
        let encodedBody = String(decoding: JSONValue.object(fields).encoded(), as: UTF8.self)
        let updatedAt = Timestamp.string(from: date)
        return try await database.writer.write { db in
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM records WHERE collection = ? AND id = ?)",
                arguments: [collection, id]) == true
            {
                throw RecordRepositoryError.alreadyExists
            }
            let sequence = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM records") ?? 1
            try db.execute(
                sql: """
                    INSERT INTO records (collection, id, owner, version, updated_at, seq, deleted, body)
                    VALUES (?, ?, ?, 1, ?, ?, 0, ?)
                    """,
                arguments: [collection, id, owner, updatedAt, sequence, encodedBody])
            return StoredRecord(
                collection: collection, id: id, owner: owner, version: 1, updatedAt: updatedAt, sequence: sequence,
                deleted: false, body: fields)
        }
    }

    private static func record(from row: Row) throws -> StoredRecord {
        let body: String = row["body"]
        guard case .object(let fields) = try JSONValue.parse(Data(body.utf8)) else {
            throw RecordStorageCorruption(collection: row["collection"], id: row["id"])
        }
        return StoredRecord(
            collection: row["collection"], id: row["id"], owner: row["owner"], version: row["version"],
            updatedAt: row["updated_at"], sequence: row["seq"], deleted: row["deleted"], body: fields)
    }
}

/// A stored body that is not a JSON object (the schema's CHECK makes this unreachable short of manual edits).
struct RecordStorageCorruption: Error, CustomStringConvertible {
    var collection: String
    var id: String
    var description: String { "record \(collection)/\(id) has a body that is not a JSON object" }
}
