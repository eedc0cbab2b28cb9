import Foundation
import HTTPTypes
import HandsetWire

/// The write functions (create, replace, patch, delete) shared by the single routes and `_batch`. Access rules and
/// `If-Match` are checked inside the write's transaction, against the record as it is at that moment.
struct RecordWriteService: Sendable {
    /// What a write is conditioned on.
    enum Precondition: Sendable, Equatable {
        /// No `If-Match`.
        case none
        /// `If-Match: *`: any live version.
        case anyVersion
        case version(Int)
    }

    let records: any RecordRepository
    let now: @Sendable () -> Date
    let locks = KeyedLock()

    /// POST (server id, `id == nil`) or PUT + `If-None-Match: *` and batch create (client id).
    func create(
        _ collection: CollectionDefinition, caller: Identity, id clientId: String?, body: JSONValue?,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> WriteAnswer {
        let grant = collection.grant(for: caller)
        guard grant.mayCreate else { return .failure(.forbidden) }
        if let clientId, !RecordID.isValid(clientId) { return .failure(RecordID.invalid) }
        let fields: [String: JSONValue]
        do {
            fields = try RecordValidator(collection: collection).validateFull(body)
        } catch {
            return .failure(error)
        }
        let id = clientId ?? UUID().uuidString.lowercased()
        let location = "/api/\(collection.name)/\(id)"
        let canonical = StoredRecord.canonicalText(of: fields)
        let caller = caller.sub
        let write: @Sendable () async throws -> WriteAnswer = {
            let outcome = try await records.write(
                collection: collection.name, id: id, at: now(), idempotency: idempotency,
                decide: { current in
                    guard let current else { return .save(owner: caller, body: fields) }
                    guard grant.allows(.read, on: current, caller: caller) else { throw APIError.idTaken }
                    // A retry of the same create finds its own record: answer as the first time.
                    if clientId != nil, !current.deleted, current.bodyText == canonical { return .keep }
                    throw PreconditionFailed(current: current)
                },
                respond: { record in
                    record.map { WriteAnswer.record(.created, $0, location: location).stored }
                        ?? StoredResponse(status: 500, headers: [:], body: "")
                })
            switch outcome {
            case .written(let record?, _): return .record(.created, record, location: location)
            case .written(nil, _): return .failure(.idTaken)
            case .replayed(let stored): return WriteAnswer(replaying: stored)
            case .keyReused: return .failure(.idempotencyKeyReused)
            }
        }
        if let idempotency {
            return try await locks.withLock("\(idempotency.scope)\u{0}\(idempotency.key)") {
                try await Self.answering(write)
            }
        }
        return try await Self.answering(write)
    }

    /// PUT + `If-Match`: every field replaced. A tombstone at the given version comes back to life.
    func replace(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition, body: JSONValue?
    ) async throws -> WriteAnswer {
        guard precondition != .none else { return .failure(.ifMatchRequired) }
        let fields: [String: JSONValue]
        do {
            fields = try RecordValidator(collection: collection).validateFull(body)
        } catch {
            return .failure(error)
        }
        return try await update(collection, caller: caller, id: id, precondition: precondition) { current in
            .save(owner: current.owner, body: fields)
        }
    }

    /// PATCH + `If-Match`: the given fields changed (null clears one), the result validated as a whole.
    func patch(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition, body: JSONValue?
    ) async throws -> WriteAnswer {
        guard precondition != .none else { return .failure(.ifMatchRequired) }
        let validator = RecordValidator(collection: collection)
        let changes: [String: JSONValue]
        do {
            changes = try validator.validatePatch(body)
        } catch {
            return .failure(error)
        }
        return try await update(collection, caller: caller, id: id, precondition: precondition) { current in
            .save(owner: current.owner, body: try validator.merge(changes, into: current.deleted ? [:] : current.body))
        }
    }

    /// DELETE + `If-Match`: leaves a tombstone. Deleting a tombstone again changes nothing and succeeds.
    func delete(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition
    ) async throws -> WriteAnswer {
        guard precondition != .none else { return .failure(.ifMatchRequired) }
        let grant = collection.grant(for: caller)
        let caller = caller.sub
        return try await Self.answering {
            let outcome = try await records.write(
                collection: collection.name, id: id, at: now(), idempotency: nil,
                decide: { current in
                    guard let current, grant.allows(.read, on: current, caller: caller) else {
                        throw APIError.recordNotFound(collection.name, id)
                    }
                    guard grant.allows(.delete, on: current, caller: caller) else { throw APIError.forbidden }
                    if current.deleted { return .keep }
                    guard Self.holds(precondition, for: current) else { throw PreconditionFailed(current: current) }
                    return .delete
                },
                respond: { _ in StoredResponse(status: 204, headers: [:], body: "") })
            guard case .written = outcome else { return .failure(.recordNotFound(collection.name, id)) }
            return WriteAnswer(status: .noContent)
        }
    }

    private func update(
        _ collection: CollectionDefinition, caller: Identity, id: String, precondition: Precondition,
        _ change: @escaping @Sendable (StoredRecord) throws -> RecordDecision
    ) async throws -> WriteAnswer {
        let grant = collection.grant(for: caller)
        let caller = caller.sub
        return try await Self.answering {
            let outcome = try await records.write(
                collection: collection.name, id: id, at: now(), idempotency: nil,
                decide: { current in
                    guard let current, grant.allows(.read, on: current, caller: caller) else {
                        throw APIError.recordNotFound(collection.name, id)
                    }
                    guard grant.allows(.update, on: current, caller: caller) else { throw APIError.forbidden }
                    guard Self.holds(precondition, for: current) else { throw PreconditionFailed(current: current) }
                    return try change(current)
                },
                respond: { _ in StoredResponse(status: 200, headers: [:], body: "") })
            guard case .written(let record?, _) = outcome else { return .failure(.recordNotFound(collection.name, id)) }
            return .record(.ok, record)
        }
    }

    /// Whether `If-Match` names the current version. `*` matches live records only, so it never revives one.
    static func holds(_ precondition: Precondition, for current: StoredRecord) -> Bool {
        switch precondition {
        case .none: return true
        case .anyVersion: return !current.deleted
        case .version(let version): return version == current.version
        }
    }

    /// Runs a write, turning the refusals thrown inside its transaction into answers.
    private static func answering(_ write: @Sendable () async throws -> WriteAnswer) async throws -> WriteAnswer {
        do {
            return try await write()
        } catch let error as APIError {
            return .failure(error)
        } catch let failed as PreconditionFailed {
            return WriteAnswer(
                status: .preconditionFailed, record: failed.current.jsonText, eTag: failed.current.eTag,
                error: APIErrorBody(message: "Precondition Failed"))
        }
    }
}

/// Record ids: what a client may choose when it creates offline.
enum RecordID {
    static let invalid = APIError(
        .badRequest, "Invalid id",
        fields: [RecordField.id: "must be 1 to 128 letters, digits, '-', '_', '.' or ':', not starting with '_'"])

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
