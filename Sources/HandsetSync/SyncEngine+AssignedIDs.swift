import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire

/// Creates in collections whose ids the server's database assigns (`x-handset-key-generated`: an existing table's
/// AUTO_INCREMENT key). The device made the record under a temporary id; the server answers with the row's key.
///
/// The create goes alone, without an id, with the body of its first write on this device and an Idempotency-Key
/// made from the temporary id and that write's place in the outbox: when the answer is lost and the next sync sends
/// it again, the request is the same, so the server replays its first answer instead of inserting a second row.
/// Edits made after the create are not folded into it (that would change the request); once the id is known they
/// are sent as replaces of the server's version.
extension SyncEngine {
    /// Sends one such create and settles it; `false` when the server asks to retry later (the outbox stays as it
    /// is, and nothing that may link to the record is sent before it has its id).
    func pushAssignedCreate(_ item: PushItem, schema: APISchema, report: inout SyncReport) async throws -> Bool {
        let first = item.earlier.first
        let fields = first?.fields ?? item.operation?.body?.objectValue ?? [:]
        let sequences = first?.sequences ?? item.sequences
        let key = "create-\(item.recordId)-\(sequences.first ?? 0)"
        let response = try await api.batch(
            collection: item.collection,
            BatchRequest(operations: [BatchOperation(op: .create, id: nil, body: .object(fields))]),
            idempotencyKey: key)
        // The server has committed; dying here is the lost-acknowledgement case.
        Failpoint.hit("push.after-response")
        report.pushed += 1
        guard let result = response.results.first else { return false }
        switch result.status {
        case 200..<300:
            guard let json = result.record, let created = Record(json: json) else {
                throw RemoteError.badResponse("the \(item.collection) create answer has no record")
            }
            let change = RecordIDChange(collection: item.collection, temporaryID: item.recordId, serverID: created.id)
            try store.adoptServerID(
                change, created: created, sequences: sequences, references: schema.references(to: item.collection),
                now: now())
            Failpoint.hit("push.after-first-outcome")
            report.accepted += 1
            if change.temporaryID != change.serverID { report.rekeyed.append(change) }
            return true
        case 408, 429, 500...:
            return false
        default:
            guard let outcome = Self.outcome(of: result, for: item) else { return false }
            try store.applyPushOutcomes(
                [
                    LocalStore.PushSettlement(
                        collection: item.collection, recordId: item.recordId, sequences: item.sequences,
                        outcome: outcome)
                ], now: now())
            report.rejected += 1
            return true
        }
    }
}
