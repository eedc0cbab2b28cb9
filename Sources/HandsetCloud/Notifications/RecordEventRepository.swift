import Foundation
import HandsetCloudStorage
import HandsetWire

/// The record repository with events: every write that changes a record, and every write refused with 412, is
/// reported to the sinks once its transaction has ended (single writes and `writeEach` batches alike). Everything
/// else passes through unchanged, so the record API does not know it is there.
struct RecordEventRepository: RecordRepository {
    let base: any RecordRepository
    let sinks: [any RecordEventSink]

    func prepare(for collections: [RecordCollectionLayout]) async throws {
        try await base.prepare(for: collections)
    }

    func list(_ query: RecordListQuery) async throws -> [RecordListRow] {
        try await base.list(query)
    }

    func count(_ query: RecordListQuery) async throws -> Int {
        try await base.count(query)
    }

    func record(collection: String, id: String) async throws -> StoredRecord? {
        try await base.record(collection: collection, id: id)
    }

    func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord] {
        try await base.changes(collection: collection, owner: owner, after: after, limit: limit)
    }

    func write(
        collection: String, id: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome {
        let before = BeforeImage()
        let outcome: RecordWriteOutcome
        do {
            outcome = try await base.write(
                collection: collection, id: id, at: date, device: device ?? RecordWriteOrigin.current?.deviceKey,
                idempotency: idempotency,
                decide: { current in
                    before.record = current
                    return try decide(current)
                },
                respond: respond)
        } catch let conflict as PreconditionFailed {
            let event = RecordConflictEvent(
                collection: collection, id: id, current: conflict.current, origin: RecordWriteOrigin.current)
            for sink in sinks { await sink.recordConflict(event) }
            throw conflict
        }
        if case .written(let record?, changed: true) = outcome {
            let event = RecordWriteEvent(
                collection: collection, id: id, before: before.record, after: record,
                origin: RecordWriteOrigin.current)
            for sink in sinks { await sink.recordWritten(event) }
        }
        return outcome
    }

    /// The base's batch (one transaction), with each item's events once it has committed.
    func writeEach(
        collection: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        _ writes: [RecordWriteItem], respond: @escaping @Sendable ([RecordItemOutcome]) throws -> StoredResponse
    ) async throws -> RecordBatchOutcome {
        let befores = writes.map { _ in BeforeImage() }
        let observed = zip(writes, befores).map { write, before in
            RecordWriteItem(
                id: write.id,
                decide: { current in
                    before.record = current
                    return try write.decide(current)
                })
        }
        let origin = RecordWriteOrigin.current
        let batch = try await base.writeEach(
            collection: collection, at: date, device: device ?? origin?.deviceKey, idempotency: idempotency, observed,
            respond: respond)
        guard case .written(let outcomes) = batch else { return batch }
        for (index, outcome) in zip(writes.indices, outcomes) {
            switch outcome {
            case .written(let record?, changed: true):
                let event = RecordWriteEvent(
                    collection: collection, id: writes[index].id, before: befores[index].record, after: record,
                    origin: origin)
                for sink in sinks { await sink.recordWritten(event) }
            case .refused(let conflict as PreconditionFailed):
                let event = RecordConflictEvent(
                    collection: collection, id: writes[index].id, current: conflict.current, origin: origin)
                for sink in sinks { await sink.recordConflict(event) }
            default:
                break
            }
        }
        return batch
    }

    func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup {
        try await base.storedResponse(for: claim)
    }

    func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws {
        try await base.store(response, for: claim, at: date)
    }

    func purgeIdempotencyKeys(before date: Date) async throws {
        try await base.purgeIdempotencyKeys(before: date)
    }

    @discardableResult
    func create(
        collection: String, id: String, owner: String, body: [String: JSONValue], at date: Date
    ) async throws
        -> StoredRecord
    {
        try await base.create(collection: collection, id: id, owner: owner, body: body, at: date)
    }
}

/// The record a write's decision saw, handed out of the transaction.
private final class BeforeImage: @unchecked Sendable {
    private let lock = NSLock()
    private var value: StoredRecord?

    var record: StoredRecord? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
