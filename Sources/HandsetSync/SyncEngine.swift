import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire

/// Moves data between the API and the local store.
///
/// Every method leaves the store consistent whatever fails: a page is applied in one transaction, and a network
/// error mid-way leaves the previous cache in place.
public struct SyncEngine: Sendable {
    private let api: APIClient
    private let store: LocalStore
    private let now: @Sendable () -> Date

    public init(api: APIClient, store: LocalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.store = store
        self.now = now
    }

    /// Fetches the API document, caches it for offline starts, and returns its schema.
    public func refreshSchema() async throws -> APISchema {
        let document = try await api.fetchDocument()
        let schema = try APISchema(openAPIDocument: document)
        try store.setMeta(MetaKey.apiDocument, String(decoding: document.encoded(), as: UTF8.self))
        return schema
    }

    /// Downloads every record of `collection` and replaces the cached copy. Returns how many arrived.
    @discardableResult
    public func pullAll(collection: String, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        var records: [Record] = []
        var cursor: String?
        repeat {
            let page = try await api.listPage(collection: collection, cursor: cursor, limit: 200)
            records.append(contentsOf: page.items.compactMap { Record(json: $0) })
            progress(records.count)
            cursor = page.nextCursor
        } while cursor != nil
        try store.replaceSyncedRecords(collection: collection, with: records)
        try store.setMeta(MetaKey.lastSyncedAt, ISO8601DateFormatter().string(from: now()))
        return records.count
    }
}

extension LocalStore {
    /// The schema cached by the last successful `refreshSchema`, for starting offline.
    public func cachedSchema() -> APISchema? {
        guard let text = try? meta(MetaKey.apiDocument), let document = try? JSONValue.parse(Data(text.utf8)) else {
            return nil
        }
        return try? APISchema(openAPIDocument: document)
    }

    /// When the last full pull finished.
    public func lastSyncedAt() -> Date? {
        (try? meta(MetaKey.lastSyncedAt)).flatMap { $0 }.flatMap { ISO8601DateFormatter().date(from: $0) }
    }
}
