import Foundation
import HandsetWire
import Hummingbird

extension RecordsController {
    /// `POST <api>/<c>/_batch`: the operations applied in order, each whole or not at all (a savepoint each inside
    /// one transaction, so one refusal does not undo the others), with the status and record the single request
    /// would have answered. An Idempotency-Key replays the whole first answer.
    func batch(_ request: Request, collection: CollectionDefinition, identity: Identity) async throws -> Response {
        var request = request
        let key = try Self.idempotencyKey(request)
        let body = try await Self.readJSONBody(&request, limit: bodyLimit)
        guard let body, body.objectValue != nil else { throw APIError.bodyNotAnObject }
        let batch: BatchRequest
        do {
            batch = try JSONValueDecoder().decode(BatchRequest.self, from: body)
        } catch {
            throw APIError(
                .badRequest, "The body must be {\"operations\": [{\"op\": create|replace|patch|delete, ...}]}")
        }
        guard batch.operations.count <= limits.maximumBatchOperations else {
            throw APIError(.badRequest, "At most \(limits.maximumBatchOperations) operations per batch")
        }
        let claim = key.map { Self.claim(key: $0, identity: identity, request: request, body: body) }
        let plans = batch.operations.map { plan($0, collection: collection, identity: identity) }
        switch try await writes.runAll(plans, in: collection, idempotency: claim, render: Self.render) {
        case .text(let text): return Self.json(text)
        case .keyReused: throw APIError.idempotencyKeyReused
        }
    }

    /// `{"results":[{"status","record"?,"error"?}, ...]}`, in the order of the operations.
    private static func render(_ answers: [WriteAnswer]) -> String {
        var text = "{\"results\":["
        for (index, answer) in answers.enumerated() {
            if index > 0 { text += "," }
            text += "{\"status\":\(answer.status.code)"
            if let record = answer.record { text += ",\"record\":" + record }
            if let error = answer.error {
                text += ",\"error\":" + APIError(answer.status, error.message, fields: error.fields).bodyText
            }
            text += "}"
        }
        return text + "]}"
    }

    private func plan(
        _ operation: BatchOperation, collection: CollectionDefinition, identity: Identity
    )
        -> RecordWriteService.Plan
    {
        let precondition: RecordWriteService.Precondition = operation.ifMatch.map { .version($0) } ?? .none
        if operation.op == .create {
            return writes.planCreate(collection, caller: identity, id: operation.id, body: operation.body)
        }
        guard let id = operation.id else {
            return .answer(.failure(APIError(.badRequest, "id is required", fields: [RecordField.id: "is required"])))
        }
        guard RecordID.isValid(id) else { return .answer(.failure(.recordNotFound(collection.name, id))) }
        switch operation.op {
        case .create:
            return writes.planCreate(collection, caller: identity, id: id, body: operation.body)
        case .replace:
            return writes.planReplace(
                collection, caller: identity, id: id, precondition: precondition, body: operation.body)
        case .patch:
            return writes.planPatch(
                collection, caller: identity, id: id, precondition: precondition, body: operation.body)
        case .delete:
            return writes.planDelete(collection, caller: identity, id: id, precondition: precondition)
        }
    }
}
