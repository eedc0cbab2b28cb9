import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire

/// What one sync did.
public struct SyncReport: Sendable, Equatable {
    public var pushed = 0
    public var accepted = 0
    public var conflicts = 0
    public var rejected = 0
    public var pulled = 0
    /// Whether writes are still queued because the server asked to retry later.
    public var deferred = false
    /// Records made here under a temporary id that now go by the id the server's database gave them.
    public var rekeyed: [RecordIDChange] = []

    public init() {}
}

/// Moves data between the API and the local store.
///
/// Every step leaves the store consistent whatever fails: a page of changes is applied with its cursor in one
/// transaction, a push result is recorded per record, and a transport error leaves every queued write queued.
public struct SyncEngine: Sendable {
    let api: APIClient
    let store: LocalStore
    let now: @Sendable () -> Date
    private let policy: @Sendable (String) -> ConflictPolicy

    public init(
        api: APIClient, store: LocalStore, now: @escaping @Sendable () -> Date = { Date() },
        policy: @escaping @Sendable (String) -> ConflictPolicy = { _ in .ask }
    ) {
        self.api = api
        self.store = store
        self.now = now
        self.policy = policy
    }

    /// Fetches the API document, caches it for offline starts, and returns its schema.
    public func refreshSchema() async throws -> APISchema {
        let document = try await api.fetchDocument()
        let schema = try APISchema(openAPIDocument: document)
        try store.setMeta(MetaKey.apiDocument, String(decoding: document.encoded(), as: UTF8.self))
        return schema
    }

    /// Pushes queued writes, then pulls every collection's changes.
    public func sync(
        collections: [String], progress: @Sendable (SyncProgress) -> Void = { _ in }
    ) async throws
        -> SyncReport
    {
        var report = try await push(progress: progress)
        for collection in collections {
            report.pulled += try await pull(collection: collection, progress: progress)
        }
        try store.setMeta(MetaKey.lastSyncedAt, ISO8601DateFormatter().string(from: now()))
        return report
    }

    /// Sends the outbox in order through the batch endpoint, one coalesced write per record.
    public func push(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncReport {
        var report = SyncReport()
        while true {
            let items = OutboxCoalescer.coalesce(try store.queuedEntries(limit: Self.pushRoundSize))
            if items.isEmpty { break }
            // Creates whose ids the server assigns go first, one at a time: later writes of the record, and links
            // to it from other records, need the id it is given.
            if let schema = store.cachedSchema(),
                let create = items.first(where: {
                    schema.collection(named: $0.collection)?.idsAssignedByServer == true
                        && $0.operation?.op == .create
                })
            {
                guard try await pushAssignedCreate(create, schema: schema, report: &report) else {
                    report.deferred = true
                    break
                }
                progress(.pushing(done: report.pushed, of: items.count))
                continue
            }
            var retryLater = false
            var byCollection: [String: [PushItem]] = [:]
            var order: [String] = []
            for item in items {
                guard item.operation != nil else {
                    try store.discardLocalOnly(
                        collection: item.collection, recordId: item.recordId, sequences: item.sequences)
                    continue
                }
                if byCollection[item.collection] == nil { order.append(item.collection) }
                byCollection[item.collection, default: []].append(item)
            }
            let api = self.api
            for collection in order {
                let chunks = (byCollection[collection] ?? []).chunked(into: Self.batchSize)
                @Sendable func send(_ chunk: [PushItem]) -> Task<BatchResponse, any Error> {
                    let request = BatchRequest(operations: chunk.compactMap(\.operation))
                    return Task { try await api.batch(collection: collection, request) }
                }
                // Each batch goes out as soon as the one before it is answered, while that one's answers are written
                // here: the server commits the next batch while the device commits the last. The items are distinct
                // records (coalesced), so no batch depends on another's answer; a kill in between is the
                // lost-acknowledgement case, which the next push settles (the server replays or answers 412 with
                // our own fields).
                var next: Task<BatchResponse, any Error>? = chunks.first.map(send)
                defer { next?.cancel() }
                for (index, chunk) in chunks.enumerated() {
                    guard let current = next else { break }
                    let response = try await current.value
                    next = index + 1 < chunks.count ? send(chunks[index + 1]) : nil
                    // The server has committed; dying here is the lost-acknowledgement case.
                    Failpoint.hit("push.after-response")
                    report.pushed += chunk.count
                    var settlements: [LocalStore.PushSettlement] = []
                    for (item, result) in zip(chunk, response.results) {
                        guard let (sequences, outcome) = Self.settlement(of: result, for: item) else {
                            retryLater = true
                            continue
                        }
                        settlements.append(
                            LocalStore.PushSettlement(
                                collection: collection, recordId: item.recordId, sequences: sequences, outcome: outcome)
                        )
                    }
                    // The whole chunk's answers in one durable commit.
                    try store.applyPushOutcomes(settlements, now: now())
                    Failpoint.hit("push.after-first-outcome")
                    for settlement in settlements {
                        switch settlement.outcome {
                        case .accepted: report.accepted += 1
                        case .conflict:
                            report.conflicts += 1
                            try settle(collection: collection, recordId: settlement.recordId)
                        case .rejected: report.rejected += 1
                        }
                    }
                    progress(.pushing(done: report.pushed, of: items.count))
                }
            }
            if retryLater {
                report.deferred = true
                break
            }
        }
        return report
    }

    /// Applies the collection's change feed from where it was left; the first run pages through everything.
    /// Returns how many changes were applied.
    ///
    /// The next page is fetched while the current one is written (the server works while the device does), and
    /// each page is written with its cursor in one transaction, so a kill at any point resumes after the last page
    /// written.
    @discardableResult
    public func pull(collection: String, progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> Int {
        let (start, _) = try store.syncCursor(collection: collection)
        let api = self.api
        let pageSize = Self.pullPageSize
        @Sendable func fetch(_ cursor: String?) -> Task<ChangeFeedPage, any Error> {
            Task { try await api.changes(collection: collection, since: cursor, limit: pageSize) }
        }
        var next: Task<ChangeFeedPage, any Error>? = fetch(start)
        defer { next?.cancel() }
        var applied = 0
        while let current = next {
            let page = try await current.value
            next = page.hasMore ? fetch(page.cursor) : nil
            Failpoint.hit("pull.before-apply")
            applied += try store.applyChanges(
                collection: collection, items: page.items, cursor: page.cursor, complete: !page.hasMore)
            Failpoint.hit("pull.after-page")
            progress(.pulling(collection: collection, done: applied))
        }
        return applied
    }

    /// Writes per `_batch` request (the server's maximum).
    static let batchSize = 100

    /// Outbox entries read per round of a push: ten batches, sent back to back.
    static let pushRoundSize = 1000

    /// Changes per page of the feed (the server's maximum).
    static let pullPageSize = 1000

    /// Resolves a fresh conflict on its own when the collection's policy allows.
    private func settle(collection: String, recordId: String) throws {
        let policy = self.policy(collection)
        guard policy != .ask,
            let conflict = try store.conflicts().first(where: { $0.collection == collection && $0.recordId == recordId }
            )
        else { return }
        switch policy {
        case .ask: return
        case .serverWins:
            try store.resolveConflict(collection: collection, recordId: recordId, resolution: .takeTheirs, now: now())
        case .clientWins:
            try store.resolveConflict(collection: collection, recordId: recordId, resolution: .keepMine, now: now())
        case .merge:
            guard let mine = conflict.mine, let theirs = conflict.theirs else { return }
            if case .merged(let fields) = ThreeWayMerge.merge(
                base: conflict.base ?? [:], mine: mine, theirs: theirs.fields)
            {
                try store.resolveConflict(
                    collection: collection, recordId: recordId, resolution: .merged(fields), now: now())
            }
        }
    }

    /// Which of the item's outbox entries a batch result settles, and how; `nil` to keep them queued and retry.
    ///
    /// Usually all of them. The exception: a 412 whose server record holds one of the earlier writes folded into
    /// this one. Its acknowledgement was lost and the person edited again before the retry; the entries up to that
    /// write are done, and the later ones stay queued, rebased onto the server's version, for the next round.
    static func settlement(of result: BatchResult, for item: PushItem) -> (sequences: [Int64], outcome: PushOutcome)? {
        let outcome = outcome(of: result, for: item)
        if result.status == 412, case .conflict(let theirs?)? = outcome,
            let done = item.earlier.last(where: {
                $0.fields.filter { !RecordField.serverManaged.contains($0.key) } == theirs.fields
            })
        {
            return (done.sequences, .accepted(theirs))
        }
        return outcome.map { (item.sequences, $0) }
    }

    /// What a batch result means for the outbox; `nil` to keep the write queued and retry later.
    static func outcome(of result: BatchResult, for item: PushItem) -> PushOutcome? {
        // A tombstone (`deleted: true`) means the record is gone on the server.
        let server =
            result.record?[RecordField.deleted]?.boolValue == true ? nil : result.record.flatMap { Record(json: $0) }
        let operation = item.operation
        switch result.status {
        case 200..<300:
            return .accepted(operation?.op == .delete ? nil : server)
        case 404 where operation?.op == .delete:
            return .accepted(nil)
        case 404:
            return .conflict(theirs: nil)
        case 412:
            // A write whose acknowledgement was lost comes back as 412 with our own fields: that is success.
            if let server, let sent = operation?.body?.objectValue, operation?.op != .delete,
                server.fields == sent.filter({ !RecordField.serverManaged.contains($0.key) })
            {
                return .accepted(server)
            }
            return .conflict(theirs: server)
        case 408, 429, 500...:
            return nil
        default:
            var reason = result.error?.message ?? "refused by the server (\(result.status))"
            if let fields = result.error?.fields, !fields.isEmpty {
                reason +=
                    ": " + fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
            }
            return .rejected(reason, status: result.status)
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
