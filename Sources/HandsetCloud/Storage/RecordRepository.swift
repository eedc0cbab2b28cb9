import Foundation
import HandsetWire

/// Where records live. Implementations keep every write atomic (one transaction per call), give each write the
/// next value of one server-wide sequence, and never hard-delete: a delete leaves a tombstone for change feeds.
///
/// Access rules, validation and preconditions are the caller's: `write` hands the current record to a decision
/// closure inside the transaction, so a check and the write it guards can never be split by another writer.
protocol RecordRepository: Sendable {
    /// Prepares what lists of these collections need (SQLite: one index per sortable column and audience).
    func prepare(for collections: [RecordCollectionLayout]) async throws

    /// Up to `query.limit` live records matching the query, in its order, each with its position for a cursor.
    func list(_ query: RecordListQuery) async throws -> [RecordListRow]
    /// How many live records match the query's filters and search (its position and limit are ignored).
    func count(_ query: RecordListQuery) async throws -> Int
    /// A record or tombstone by id.
    func record(collection: String, id: String) async throws -> StoredRecord?
    /// Records and tombstones written after sequence `after`, in sequence order.
    func changes(collection: String, owner: String?, after: Int64, limit: Int) async throws -> [StoredRecord]

    /// Decides and applies one write to `collection/id` atomically. With an idempotency claim, a key already used
    /// answers `.replayed` (same fingerprint) or `.keyReused` without calling `decide`; otherwise the response that
    /// `respond` builds is stored with the write, in the same transaction.
    func write(
        collection: String, id: String, at date: Date, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome

    /// Applies writes to `collection` in order, in one transaction with a savepoint per write: each write is whole
    /// or absent (a refusal thrown by its `decide` rolls back only that write), and the others go on.
    func writeEach(collection: String, at date: Date, _ writes: [RecordWriteItem]) async throws -> [RecordItemOutcome]

    /// The stored answer to an idempotency key, if any.
    func storedResponse(for claim: IdempotencyClaim) async throws -> IdempotencyLookup
    /// Stores the answer to an idempotency key unless one is stored already.
    func store(_ response: StoredResponse, for claim: IdempotencyClaim, at date: Date) async throws
    /// Forgets idempotency keys first used before `date`.
    func purgeIdempotencyKeys(before date: Date) async throws

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

/// What a collection's lists are sorted and filtered by, so that storage can index for it.
struct RecordCollectionLayout: Sendable, Equatable {
    var collection: String
    var sortKeys: [RecordSortKey]
    /// Lists filtered to the caller's own records (an owner rule grants read).
    var ownerLists: Bool
    /// Lists of every owner's records (a group or private rule grants read).
    var sharedLists: Bool
}

/// A list's order.
enum RecordSortKey: Sendable, Hashable {
    case id
    case updatedAt
    /// A top-level body field, by name (a plain identifier).
    case field(String)
}

/// Which live records a list returns, in which order, from where.
struct RecordListQuery: Sendable, Equatable {
    var collection: String
    /// Only this owner's records; `nil` for every owner's.
    var owner: String?
    /// Every filter must hold; a filter holds when its field equals one of its values.
    var filters: [RecordFilter] = []
    /// Words that must all occur (as word prefixes) in the record's text fields.
    var searchWords: [String] = []
    var sort: RecordSortKey = .id
    var descending = false
    /// Start after this position (from the previous page's last row).
    var after: RecordListPosition?
    var limit: Int
}

struct RecordFilter: Sendable, Equatable {
    enum Field: Sendable, Equatable {
        case owner
        case field(String)
    }

    var field: Field
    /// Strings, numbers or booleans.
    var values: [JSONValue]
}

extension RecordFilter.Field {
    /// The order filters take in a query, whatever order the request named them in.
    var sortName: String {
        switch self {
        case .owner: "\u{0}owner"
        case .field(let name): name
        }
    }
}

/// Where a row stands in its list's order: the sort value (as stored, `""` for a missing field) and the id.
struct RecordListPosition: Sendable, Equatable, Codable {
    var value: JSONValue
    var id: String
}

struct RecordListRow: Sendable, Equatable {
    var record: StoredRecord
    var position: RecordListPosition
}

/// What a write decided, given the current record (or tombstone).
enum RecordDecision: Sendable, Equatable {
    /// Store this body under this owner at the next version (creating, replacing or reviving).
    case save(owner: String, body: [String: JSONValue])
    /// Leave a tombstone at the next version.
    case delete
    /// Change nothing: the current record is already what was asked for.
    case keep
}

enum RecordWriteOutcome: Sendable, Equatable {
    /// The record after the decision (`nil` when `.keep` found none), and whether it changed.
    case written(StoredRecord?, changed: Bool)
    case replayed(StoredResponse)
    case keyReused
}

/// `Idempotency-Key` of one caller, with a fingerprint of the request it first came with.
struct IdempotencyClaim: Sendable, Equatable, Hashable {
    /// Whose key it is (the caller's `sub`): keys never collide across users.
    var scope: String
    var key: String
    /// SHA-256 of the method, path and canonical body.
    var fingerprint: String
}

enum IdempotencyLookup: Sendable, Equatable {
    case none
    case replay(StoredResponse)
    case keyReused
}

/// An HTTP answer as stored for replays.
struct StoredResponse: Sendable, Equatable, Codable {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// One write of `writeEach`.
struct RecordWriteItem: Sendable {
    var id: String
    var decide: @Sendable (StoredRecord?) throws -> RecordDecision
}

enum RecordItemOutcome: Sendable {
    /// The record after the decision (`nil` when `.keep` found none), and whether it changed.
    case written(StoredRecord?, changed: Bool)
    /// What `decide` threw; nothing of this write was stored.
    case refused(any Error)
}

extension RecordRepository {
    /// One `write` per item, in order: what a repository (or a decorator) that does not batch gets. Correct, but
    /// one transaction per write.
    func writeEach(
        collection: String, at date: Date, _ writes: [RecordWriteItem]
    ) async throws
        -> [RecordItemOutcome]
    {
        var outcomes: [RecordItemOutcome] = []
        for item in writes {
            let refusal = RefusalBox()
            do {
                let outcome = try await write(
                    collection: collection, id: item.id, at: date, idempotency: nil,
                    decide: { current in
                        do {
                            return try item.decide(current)
                        } catch {
                            refusal.error = error
                            throw error
                        }
                    },
                    respond: { _ in StoredResponse(status: 0, headers: [:], body: "") })
                if case .written(let record, let changed) = outcome {
                    outcomes.append(.written(record, changed: changed))
                }
            } catch {
                // Only what `decide` threw is a refusal; a storage failure ends the batch.
                guard let refused = refusal.error else { throw error }
                outcomes.append(.refused(refused))
            }
        }
        return outcomes
    }
}

/// Carries the error a decision threw out of a `@Sendable` closure.
private final class RefusalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _error: (any Error)?
    var error: (any Error)? {
        get { lock.withLock { _error } }
        set { lock.withLock { _error = newValue } }
    }
}
