import Foundation
import HandsetCloudStorage
import HandsetWire

/// The MySQL backend's records: collections mapped onto existing tables go to `MySQLLegacyRecordRepository`, every
/// other to `MySQLRecordRepository`. Idempotency keys are one table for both.
package final class MySQLRecordRouter: RecordRepository, @unchecked Sendable {
    package let records: MySQLRecordRepository
    package let tables: MySQLLegacyRecordRepository

    init(records: MySQLRecordRepository, tables: MySQLLegacyRecordRepository) {
        self.records = records
        self.tables = tables
    }

    package func prepare(for collections: [RecordCollectionLayout]) async throws {
        try await tables.prepare(collections.compactMap(\.table))
        try await records.prepare(for: collections.filter { $0.table == nil })
    }

    package func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        tables.serves(query.collection) ? try await tables.list(query) : try await records.list(query)
    }

    package func count(_ query: RecordListQuery) async throws -> Int {
        tables.serves(query.collection) ? try await tables.count(query) : try await records.count(query)
    }

    package func record(collection: String, id: String) async throws -> StoredRecord? {
        tables.serves(collection)
            ? try await tables.record(collection: collection, id: id)
            : try await records.record(collection: collection, id: id)
    }

    package func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
        tables.serves(collection)
            ? try await tables.changes(collection: collection, owner: owner, after: after, limit: limit)
            : try await records.changes(collection: collection, owner: owner, after: after, limit: limit)
    }

    package func write(
        collection: String, id: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome {
        guard tables.serves(collection) else {
            return try await records.write(
                collection: collection, id: id, at: date, device: device, idempotency: idempotency, decide: decide,
                respond: respond)
        }
        return try await tables.write(
            collection: collection, id: id, at: date, device: device, idempotency: idempotency, decide: decide,
            respond: respond)
    }

    package func writeEach(
        collection: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        _ writes: [RecordWriteItem], respond: @escaping @Sendable ([RecordItemOutcome]) throws -> StoredResponse
    ) async throws -> RecordBatchOutcome {
        guard tables.serves(collection) else {
            return try await records.writeEach(
                collection: collection, at: date, device: device, idempotency: idempotency, writes, respond: respond)
        }
        return try await tables.writeEach(
            collection: collection, at: date, device: device, idempotency: idempotency, writes, respond: respond)
    }

    package func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup {
        try await records.storedResponse(for: claim)
    }

    package func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws {
        try await records.store(response, for: claim, at: date)
    }

    package func purgeIdempotencyKeys(before date: Date) async throws {
        try await records.purgeIdempotencyKeys(before: date)
    }
}
