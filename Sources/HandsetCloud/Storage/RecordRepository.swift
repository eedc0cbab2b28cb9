import Foundation
import HandsetWire

/// Where records live, per collection and owner.
protocol RecordRepository: Sendable {
    /// Up to `limit` live records of `owner` in `collection` with ids after `afterId`, in id order.
    func list(collection: String, owner: String, afterId: String?, limit: Int) async throws -> [StoredRecord]
    /// Adds a record at version 1; throws `RecordRepositoryError.alreadyExists` when the id is taken.
    /// Server-managed fields in `body` are ignored.
    @discardableResult
    func create(
        collection: String, id: String, owner: String, body: [String: JSONValue], at date: Date
    ) async throws
        -> StoredRecord
}

enum RecordRepositoryError: Error, Equatable {
    case alreadyExists
}
