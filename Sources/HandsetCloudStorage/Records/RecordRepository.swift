import Foundation
import HandsetWire

/// Where records live. Implementations keep every write atomic (one transaction per call), give each write the
/// next value of its collection's change feed (a sequence whose values commit in order: a reader that has seen value n
/// has seen every smaller one), and never hard-delete: a delete leaves a tombstone for change feeds.
///
/// Access rules, validation and preconditions are the caller's: `write` hands the current record to a decision
/// closure inside the transaction, so a check and the write it guards can never be split by another writer.
package protocol RecordRepository: Sendable {
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
    /// `respond` builds is stored with the write, in the same transaction. A concurrent write with the same claim
    /// (on any instance) waits for this one and then replays its answer.
    ///
    /// `device` (the writer's `<sub> <device id>`) becomes the record's `lastDevice` when it saves; `nil` keeps the
    /// previous one, and a delete clears it.
    func write(
        collection: String, id: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision,
        respond: @escaping @Sendable (StoredRecord?) -> StoredResponse
    ) async throws -> RecordWriteOutcome

    /// Applies writes to `collection` in order, in one transaction with a savepoint per write: each write is whole
    /// or absent (a refusal thrown by its `decide` rolls back only that write), and the others go on. With an
    /// idempotency claim, as `write`: a key already used answers `.replayed` or `.keyReused` without writing, else
    /// the response `respond` builds from the outcomes is stored in the same transaction.
    func writeEach(
        collection: String, at date: Date, device: String?, idempotency: IdempotencyClaim?,
        _ writes: [RecordWriteItem], respond: @escaping @Sendable ([RecordItemOutcome]) throws -> StoredResponse
    ) async throws -> RecordBatchOutcome

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

package enum RecordRepositoryError: Error, Equatable {
    case alreadyExists
}

/// What a collection's lists are sorted and filtered by, so that storage can index for it.
package struct RecordCollectionLayout: Sendable, Equatable {
    package var collection: String
    package var sortKeys: [RecordSortKey]
    /// Lists filtered to the caller's own records (an owner rule grants read).
    package var ownerLists: Bool
    /// Lists of every owner's records (a group or private rule grants read).
    package var sharedLists: Bool
    /// The existing table whose rows are the records (`x-handset-table`); `nil` for the cloud's own records.
    package var table: LegacyTableMapping?

    package init(
        collection: String, sortKeys: [RecordSortKey], ownerLists: Bool, sharedLists: Bool,
        table: LegacyTableMapping? = nil
    ) {
        self.collection = collection
        self.sortKeys = sortKeys
        self.ownerLists = ownerLists
        self.sharedLists = sharedLists
        self.table = table
    }
}

/// A list's order.
package enum RecordSortKey: Sendable, Hashable {
    case id
    case updatedAt
    /// A top-level body field, by name (a plain identifier).
    case field(String)
}

/// Which live records a list returns, in which order, from where.
package struct RecordListQuery: Sendable, Equatable {
    package var collection: String
    /// Only this owner's records; `nil` for every owner's.
    package var owner: String?
    /// Every filter must hold; a filter holds when its field equals one of its values.
    package var filters: [RecordFilter] = []
    /// Words that must all occur as word prefixes in the record's text fields (`SearchWords.words(in:)` of the query).
    package var searchWords: [String] = []
    package var sort: RecordSortKey = .id
    package var descending = false
    /// Start after this position (from the previous page's last row).
    package var after: RecordListPosition?
    package var limit: Int

    package init(
        collection: String, owner: String? = nil, filters: [RecordFilter] = [], searchWords: [String] = [],
        sort: RecordSortKey = .id, descending: Bool = false, after: RecordListPosition? = nil, limit: Int
    ) {
        self.collection = collection
        self.owner = owner
        self.filters = filters
        self.searchWords = searchWords
        self.sort = sort
        self.descending = descending
        self.after = after
        self.limit = limit
    }
}

/// `field = value` for one of the values. Comparisons are typed: a number matches numbers equal as doubles, a string
/// matches strings byte for byte, a boolean matches that boolean; never across types.
package struct RecordFilter: Sendable, Equatable {
    package enum Field: Sendable, Equatable {
        case owner
        case field(String)
    }

    package var field: Field
    /// Strings, numbers or booleans.
    package var values: [JSONValue]

    package init(field: Field, values: [JSONValue]) {
        self.field = field
        self.values = values
    }
}

extension RecordFilter.Field {
    /// The order filters take in a query, whatever order the request named them in.
    package var sortName: String {
        switch self {
        case .owner: "\u{0}owner"
        case .field(let name): name
        }
    }
}

/// Where a row stands in its list's order: the sort value (`RecordSortValue.position`: a number, a string, or
/// `null` for a missing value) and the id.
package struct RecordListPosition: Sendable, Equatable, Codable {
    package var value: JSONValue
    package var id: String

    package init(value: JSONValue, id: String) {
        self.value = value
        self.id = id
    }
}

package struct RecordListRow: Sendable, Equatable {
    package var record: StoredRecord
    package var position: RecordListPosition

    package init(record: StoredRecord, position: RecordListPosition) {
        self.record = record
        self.position = position
    }
}

/// What a write decided, given the current record (or tombstone).
package enum RecordDecision: Sendable, Equatable {
    /// Store this body under this owner at the next version (creating, replacing or reviving). `prepared`, when
    /// given, is `PreparedBody(of: body)` worked out before the write transaction, so that the writer's lock is not
    /// held while the body is encoded and its search words are cut.
    case save(owner: String, body: [String: JSONValue], prepared: PreparedBody? = nil)
    /// Leave a tombstone at the next version.
    case delete
    /// Change nothing: the current record is already what was asked for.
    case keep
}

package enum RecordWriteOutcome: Sendable, Equatable {
    /// The record after the decision (`nil` when `.keep` found none), and whether it changed.
    case written(StoredRecord?, changed: Bool)
    case replayed(StoredResponse)
    case keyReused
}

/// `Idempotency-Key` of one caller, with a fingerprint of the request it first came with.
package struct IdempotencyClaim: Sendable, Equatable, Hashable {
    /// Whose key it is (the caller's `sub`): keys never collide across users.
    package var scope: String
    package var key: String
    /// SHA-256 of the method, path and canonical body.
    package var fingerprint: String

    package init(scope: String, key: String, fingerprint: String) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }
}

package enum IdempotencyLookup: Sendable, Equatable {
    case none
    case replay(StoredResponse)
    case keyReused
}

/// An HTTP answer as stored for replays.
package struct StoredResponse: Sendable, Equatable, Codable {
    package var status: Int
    package var headers: [String: String]
    package var body: String

    package init(status: Int, headers: [String: String], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// One write of `writeEach`.
package struct RecordWriteItem: Sendable {
    package var id: String
    package var decide: @Sendable (StoredRecord?) throws -> RecordDecision

    package init(id: String, decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision) {
        self.id = id
        self.decide = decide
    }
}

package enum RecordBatchOutcome: Sendable {
    case written([RecordItemOutcome])
    case replayed(StoredResponse)
    case keyReused
}

package enum RecordItemOutcome: Sendable {
    /// The record after the decision (`nil` when `.keep` found none), and whether it changed.
    case written(StoredRecord?, changed: Bool)
    /// What `decide` threw; nothing of this write was stored.
    case refused(any Error)
}

extension RecordRepository {
    /// `writeEach` without an idempotency claim.
    package func writeEach(
        collection: String, at date: Date, device: String?, _ writes: [RecordWriteItem]
    ) async throws -> [RecordItemOutcome] {
        let outcome = try await writeEach(
            collection: collection, at: date, device: device, idempotency: nil, writes,
            respond: { _ in StoredResponse(status: 0, headers: [:], body: "") })
        guard case .written(let outcomes) = outcome else { return [] }
        return outcomes
    }

    /// `create` for every backend: a write whose decision refuses an id that is taken.
    @discardableResult
    package func create(
        collection: String, id: String, owner: String, body: [String: JSONValue], at date: Date
    ) async throws -> StoredRecord {
        let outcome = try await write(
            collection: collection, id: id, at: date, device: nil, idempotency: nil,
            decide: { current in
                guard current == nil else { throw RecordRepositoryError.alreadyExists }
                return .save(owner: owner, body: body)
            },
            respond: { _ in StoredResponse(status: 0, headers: [:], body: "") })
        guard case .written(let record?, _) = outcome else { throw RecordRepositoryError.alreadyExists }
        return record
    }
}
