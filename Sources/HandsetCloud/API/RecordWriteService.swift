import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire

/// The write functions (create, replace, patch, delete) shared by the single routes and `_batch`.
///
/// Each write is planned first (access to create, the body against the schema, the precondition's presence), then
/// decided and applied inside a transaction, where the access rules and `If-Match` are checked against the record
/// as it is at that moment.
struct RecordWriteService: Sendable {
    /// What a write is conditioned on.
    enum Precondition: Sendable, Equatable {
        /// No `If-Match`.
        case none
        /// `If-Match: *`: any live version.
        case anyVersion
        case version(Int)
    }

    /// A write ready to be applied, or the answer it already has (a refusal found before any storage).
    enum Plan: Sendable {
        case answer(WriteAnswer)
        case write(PlannedWrite)
    }

    struct PlannedWrite: Sendable {
        var id: String
        /// Runs inside the transaction; throws `APIError` or `PreconditionFailed` to refuse.
        var decide: @Sendable (StoredRecord?) throws -> RecordDecision
        /// The answer once applied, from the record after the write.
        var answer: @Sendable (StoredRecord?) -> WriteAnswer
    }

    let records: any RecordRepository
    let now: @Sendable () -> Date

    /// How deeply a record body may nest. Well under `JSONParser.defaultMaximumDepth`, so that a record still
    /// parses inside every answer that wraps it (a page, a change feed, a batch result).
    static let maximumBodyDepth = 32

    /// A 400 for a body nested too deeply, before anything else looks at it.
    private static func tooDeep(_ body: JSONValue?) -> Plan? {
        guard let body, body.nestingDepth > maximumBodyDepth else { return nil }
        return .answer(.failure(APIError(.badRequest, "The body nests deeper than \(maximumBodyDepth) levels")))
    }

    // MARK: Plans

    /// POST (server id, `id == nil`) or PUT + `If-None-Match: *` and batch create (client id).
    func planCreate(
        _ collection: CollectionDefinition, caller: Identity, id clientId: String?, body: JSONValue?
    )
        -> Plan
    {
        let grant = collection.grant(for: caller)
        guard grant.mayCreate else { return .answer(.failure(.forbidden)) }
        if let clientId, !RecordID.isValid(clientId) { return .answer(.failure(RecordID.invalid)) }
        if clientId != nil, collection.keyGenerated { return .answer(.failure(RecordID.assignedByDatabase)) }
        if let refusal = Self.tooDeep(body) { return refusal }
        let fields: [String: JSONValue]
        do {
            fields = try RecordValidator(collection: collection).validateFull(body)
        } catch {
            return .answer(.failure(error))
        }
        let id = clientId ?? (collection.keyGenerated ? databaseAssignedRecordID : UUID().uuidString.lowercased())
        let name = collection.name
        // Encoded and cut into search words here, before the write transaction: not under the writer's lock.
        let prepared = PreparedBody(of: fields)
        let canonical = prepared.text
        let owner = grant.owner ?? ""
        return .write(
            PlannedWrite(
                id: id,
                decide: { current in
                    guard let current else { return .save(owner: owner, body: fields, prepared: prepared) }
                    guard grant.allows(.read, on: current) else { throw APIError.idTaken }
                    // A retry of the same create finds its own record: answer as the first time.
                    if clientId != nil, !current.deleted, current.bodyText == canonical { return .keep }
                    throw PreconditionFailed(current: current)
                },
                answer: { record in
                    // The record's own id: the database may have assigned it.
                    record.map { .record(.created, $0, location: "/api/\(name)/\($0.id)") } ?? .failure(.idTaken)
                }))
    }

    /// PUT + `If-Match`: every field replaced. A tombstone at the given version comes back to life.
    func planReplace(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition, body: JSONValue?
    ) -> Plan {
        guard precondition != .none else { return .answer(.failure(.ifMatchRequired)) }
        if let refusal = Self.tooDeep(body) { return refusal }
        let fields: [String: JSONValue]
        do {
            fields = try RecordValidator(collection: collection).validateFull(body)
        } catch {
            return .answer(.failure(error))
        }
        return planUpdate(collection, caller: caller, id: id, precondition: precondition) { current in
            .save(owner: current.owner, body: fields)
        }
    }

    /// PATCH + `If-Match`: the given fields changed (null clears one), the result validated as a whole.
    func planPatch(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition, body: JSONValue?
    ) -> Plan {
        guard precondition != .none else { return .answer(.failure(.ifMatchRequired)) }
        if let refusal = Self.tooDeep(body) { return refusal }
        let validator = RecordValidator(collection: collection)
        let changes: [String: JSONValue]
        do {
            changes = try validator.validatePatch(body)
        } catch {
            return .answer(.failure(error))
        }
        return planUpdate(collection, caller: caller, id: id, precondition: precondition) { current in
            .save(owner: current.owner, body: try validator.merge(changes, into: current.deleted ? [:] : current.body))
        }
    }

    /// DELETE + `If-Match`: leaves a tombstone. Deleting a tombstone again changes nothing and succeeds.
    func planDelete(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition
    )
        -> Plan
    {
        guard precondition != .none else { return .answer(.failure(.ifMatchRequired)) }
        let grant = collection.grant(for: caller)
        return .write(
            PlannedWrite(
                id: id,
                decide: { current in
                    guard let current, grant.allows(.read, on: current) else {
                        throw APIError.recordNotFound(collection.name, id)
                    }
                    guard grant.allows(.delete, on: current) else { throw APIError.forbidden }
                    if current.deleted { return .keep }
                    guard Self.holds(precondition, for: current) else { throw PreconditionFailed(current: current) }
                    return .delete
                },
                answer: { _ in WriteAnswer(status: .noContent) }))
    }

    private func planUpdate(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition,
        _ change: @escaping @Sendable (StoredRecord) throws -> RecordDecision
    ) -> Plan {
        let grant = collection.grant(for: caller)
        return .write(
            PlannedWrite(
                id: id,
                decide: { current in
                    guard let current, grant.allows(.read, on: current) else {
                        throw APIError.recordNotFound(collection.name, id)
                    }
                    guard grant.allows(.update, on: current) else { throw APIError.forbidden }
                    guard Self.holds(precondition, for: current) else { throw PreconditionFailed(current: current) }
                    return try change(current)
                },
                answer: { record in
                    record.map { .record(.ok, $0) } ?? .failure(.recordNotFound(collection.name, id))
                }))
    }

    /// Whether `If-Match` names the current version. `*` matches live records only, so it never revives one.
    static func holds(_ precondition: Precondition, for current: StoredRecord) -> Bool {
        switch precondition {
        case .none: return true
        case .anyVersion: return !current.deleted
        case .version(let version): return version == current.version
        }
    }

    // MARK: Running plans

    /// Applies one planned write in its own transaction; with an Idempotency-Key, the answer is stored with it and
    /// a concurrent duplicate (on any instance) waits for it and replays it: the repository claims the key in the
    /// write's transaction.
    func run(
        _ plan: Plan, in collection: CollectionDefinition, idempotency: IdempotencyClaim? = nil
    ) async throws
        -> WriteAnswer
    {
        guard case .write(let write) = plan else {
            if case .answer(let answer) = plan { return answer }
            return .failure(.forbidden)
        }
        do {
            let outcome = try await records.write(
                collection: collection.name, id: write.id, at: now(), device: nil, idempotency: idempotency,
                decide: write.decide, respond: { write.answer($0).stored })
            switch outcome {
            case .written(let record, _): return write.answer(record)
            case .replayed(let stored): return WriteAnswer(replaying: stored)
            case .keyReused: return .failure(.idempotencyKeyReused)
            }
        } catch {
            return try Self.answer(refusal: error)
        }
    }

    /// What a batch answered: its text, replayed or new, or a reused idempotency key.
    enum BatchAnswer: Sendable, Equatable {
        case text(String)
        case keyReused
    }

    /// Applies planned writes in order in one transaction, each in its own savepoint: each is whole or absent, a
    /// refusal leaves the others alone, and the batch costs one commit instead of one per write. With an
    /// Idempotency-Key, the text `render` makes of the answers is stored in the same transaction, and a duplicate
    /// (on any instance) replays it.
    func runAll(
        _ plans: [Plan], in collection: CollectionDefinition, idempotency: IdempotencyClaim? = nil,
        render: @escaping @Sendable ([WriteAnswer]) -> String
    ) async throws -> BatchAnswer {
        let writes = plans.compactMap { plan -> PlannedWrite? in
            if case .write(let write) = plan { return write }
            return nil
        }
        let name = collection.name
        let outcome = try await records.writeEach(
            collection: name, at: now(), device: nil, idempotency: idempotency,
            writes.map { RecordWriteItem(id: $0.id, decide: $0.decide) },
            respond: { outcomes in
                StoredResponse(
                    status: 200, headers: [:], body: render(try Self.answers(plans, outcomes, collection: name)))
            })
        switch outcome {
        case .written(let outcomes): return .text(render(try Self.answers(plans, outcomes, collection: name)))
        case .replayed(let stored): return .text(stored.body)
        case .keyReused: return .keyReused
        }
    }

    /// Every plan's answer: the ones decided before storage as they were, the others from their write's outcome.
    private static func answers(
        _ plans: [Plan], _ outcomes: [RecordItemOutcome], collection: String
    ) throws -> [WriteAnswer] {
        var results = outcomes.makeIterator()
        return try plans.map { plan in
            switch plan {
            case .answer(let answer): return answer
            case .write(let write):
                switch results.next() {
                case .written(let record, _)?: return write.answer(record)
                case .refused(let error)?: return try Self.answer(refusal: error)
                case nil: return .failure(.recordNotFound(collection, write.id))
                }
            }
        }
    }

    /// A refusal thrown inside a transaction as an answer; anything else is a real failure and propagates.
    static func answer(refusal error: any Error) throws -> WriteAnswer {
        switch error {
        case let error as APIError:
            return .failure(error)
        case let refused as RecordWriteRefused:
            return .failure(
                APIError(
                    HTTPResponse.Status(code: refused.status), refused.message,
                    fields: refused.fields.isEmpty ? nil : refused.fields))
        case let failed as PreconditionFailed:
            return WriteAnswer(
                status: .preconditionFailed, record: failed.current.jsonText, eTag: failed.current.eTag,
                error: APIErrorBody(message: "Precondition Failed"))
        default:
            throw error
        }
    }
}

/// Record ids: what a client may choose when it creates offline.
enum RecordID {
    static let invalid = APIError(
        .badRequest, "Invalid id",
        fields: [RecordField.id: "must be 1 to 128 letters, digits, '-', '_', '.' or ':', not starting with '_'"])

    static let assignedByDatabase = APIError(
        .badRequest,
        "The database assigns this collection's ids: create with POST (an Idempotency-Key makes a retry safe)",
        fields: [RecordField.id: "is assigned by the database"])

    static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...128).contains(bytes.count), bytes.first != UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
        }
    }
}
