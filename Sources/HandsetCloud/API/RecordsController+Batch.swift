import Foundation
import HandsetWire
import Hummingbird

extension RecordsController {
    /// `POST <api>/<c>/_batch`: each operation applied on its own, in order, in its own transaction (so nothing is
    /// half-written and one refusal does not undo the others), with the status and record the single request
    /// would have answered. An Idempotency-Key replays the whole first answer.
    func batch(_ request: Request, collection: CollectionDefinition, identity: Identity) async throws -> Response {
        var request = request
        let key = try Self.idempotencyKey(request)
        let body = try await Self.readJSONBody(&request, limit: bodyLimit)
        guard let body, body.objectValue != nil else { throw APIError.bodyNotAnObject }
        let batch: BatchRequest
        do {
            batch = try JSONDecoder().decode(BatchRequest.self, from: body.encoded())
        } catch {
            throw APIError(
                .badRequest, "The body must be {\"operations\": [{\"op\": create|replace|patch|delete, ...}]}")
        }
        guard batch.operations.count <= limits.maximumBatchOperations else {
            throw APIError(.badRequest, "At most \(limits.maximumBatchOperations) operations per batch")
        }
        guard let key else {
            return Self.json(try await run(batch, collection: collection, identity: identity))
        }
        let claim = Self.claim(key: key, identity: identity, request: request, body: body)
        let text = try await writes.locks.withLock("\(claim.scope)\u{0}\(claim.key)") {
            switch try await records.storedResponse(for: claim) {
            case .replay(let stored): return stored.body
            case .keyReused: throw APIError.idempotencyKeyReused
            case .none:
                let text = try await run(batch, collection: collection, identity: identity)
                try await records.store(StoredResponse(status: 200, headers: [:], body: text), for: claim, at: now())
                return text
            }
        }
        return Self.json(text)
    }

    private func run(_ batch: BatchRequest, collection: CollectionDefinition, identity: Identity) async throws -> String
    {
        var text = "{\"results\":["
        for (index, operation) in batch.operations.enumerated() {
            if index > 0 { text += "," }
            let answer = try await apply(operation, collection: collection, identity: identity)
            text += "{\"status\":\(answer.status.code)"
            if let record = answer.record { text += ",\"record\":" + record }
            if let error = answer.error {
                text += ",\"error\":" + APIError(answer.status, error.message, fields: error.fields).bodyText
            }
            text += "}"
        }
        return text + "]}"
    }

    private func apply(
        _ operation: BatchOperation, collection: CollectionDefinition, identity: Identity
    ) async throws
        -> WriteAnswer
    {
        let precondition: RecordWriteService.Precondition = operation.ifMatch.map { .version($0) } ?? .none
        if operation.op == .create {
            return try await writes.create(collection, caller: identity, id: operation.id, body: operation.body)
        }
        guard let id = operation.id else {
            return .failure(APIError(.badRequest, "id is required", fields: [RecordField.id: "is required"]))
        }
        guard RecordID.isValid(id) else { return .failure(.recordNotFound(collection.name, id)) }
        switch operation.op {
        case .create:
            return try await writes.create(collection, caller: identity, id: id, body: operation.body)
        case .replace:
            return try await writes.replace(
                collection, caller: identity, id: id, precondition: precondition, body: operation.body)
        case .patch:
            return try await writes.patch(
                collection, caller: identity, id: id, precondition: precondition, body: operation.body)
        case .delete:
            return try await writes.delete(collection, caller: identity, id: id, precondition: precondition)
        }
    }
}
