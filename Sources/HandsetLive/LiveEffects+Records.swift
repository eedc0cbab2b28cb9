import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire

/// Records: the schema, windows of the cache in an order, search, saving and deleting on this device, syncing,
/// conflicts and refused writes.
extension LiveEffects {
    func refreshSchema() async -> AppEvent {
        await withUser { data in
            do {
                let schema = try await data.sync.refreshSchema()
                var sorts: [String: RecordSort] = [:]
                for collection in schema.collections {
                    sorts[collection.name] = data.store.sort(collection: collection.name)
                }
                return .list(.schemaLoaded(schema, sorts: sorts))
            } catch {
                return failure(error, for: data)
            }
        }
    }

    /// A window of the cache in `sort`'s order (nil: the order kept for the collection).
    func loadRecords(collection: String, offset: Int, limit: Int, sort: RecordSort? = nil) async -> AppEvent {
        await withUser { data in
            do {
                let records = try data.store.records(collection: collection, offset: offset, limit: limit, sort: sort)
                let total = try data.store.recordCount(collection: collection)
                return .list(.recordsLoaded(collection: collection, offset: offset, records: records, total: total))
            } catch {
                return .sync(.failed(message: "Local cache: \(error)", offline: false))
            }
        }
    }

    func locateRecord(collection: String, id: String, sort: RecordSort) -> Int? {
        try? scope.current?.store.position(of: id, collection: collection, sort: sort)
    }

    func saveSort(collection: String, sort: RecordSort) -> AppEvent {
        try? scope.current?.store.setSort(sort, collection: collection)
        return .effectDone
    }

    func sync(collection: String) async -> AppEvent {
        await withUser { data in
            do {
                let report = try await data.sync.sync(collections: [collection]) {
                    relay.send(.sync(.progress($0)))
                }
                return .sync(
                    .finished(collection: collection, count: report.pulled, at: now(), rekeyed: report.rekeyed))
            } catch {
                return failure(error, for: data)
            }
        }
    }

    func searchRecords(collection: String, text: String) -> AppEvent {
        guard let store = scope.current?.store else { return .account(.sessionExpired) }
        do {
            let records = try store.search(collection: collection, text: text, limit: RecordListState.windowSize)
            return .list(.searched(collection: collection, text: text, records: records))
        } catch {
            return .sync(.failed(message: "Search: \(error)", offline: false))
        }
    }

    /// Titles of records by `collection/id`: from the cache, else (a collection not synced yet) from the cloud, best
    /// effort (offline, the id shows).
    func relatedTitles(_ links: [RecordLink], titleFields: [String: String]) async -> AppEvent {
        guard let data = scope.current else { return .list(.relatedLoaded([:])) }
        var titles: [String: String] = [:]
        for link in links {
            let cached = try? data.store.record(collection: link.collection, id: link.id)
            var fetched: Record?
            if cached == nil { fetched = try? await data.api.record(collection: link.collection, id: link.id) }
            guard let record = cached ?? fetched else { continue }
            let field = titleFields[link.collection] ?? "title"
            if case .string(let title)? = record.value(of: field), !title.isEmpty {
                titles["\(link.collection)/\(link.id)"] = title
            }
        }
        return .list(.relatedLoaded(titles))
    }

    func saveRecord(collection: String, id: String?, fields: [String: JSONValue]) -> AppEvent {
        guard let data = scope.current else { return .account(.sessionExpired) }
        do {
            let schema = data.store.cachedSchema()?.collection(named: collection)
            let saved = try data.saveRecord(collection: collection, id: id, fields: fields, schema: schema, now: now())
            return .form(.saved(collection: collection, id: saved))
        } catch {
            return .form(.saveFailed("Could not save: \(error)"))
        }
    }

    func deleteRecord(collection: String, id: String) -> AppEvent {
        guard let store = scope.current?.store else { return .account(.sessionExpired) }
        do {
            try store.deleteRecord(collection: collection, id: id, now: now())
            return .form(.deleted(collection: collection, id: id))
        } catch {
            return .form(.saveFailed("Could not delete: \(error)"))
        }
    }

    func loadCounts() -> AppEvent {
        guard let store = scope.current?.store else { return .sync(.countsLoaded(pending: 0, conflicts: 0)) }
        let pending = (try? store.pendingCount()) ?? 0
        let conflicts = (try? store.conflicts().count) ?? 0
        let refusals = (try? store.refusals()) ?? []
        return .sync(.countsLoaded(pending: pending, conflicts: conflicts, refusals: refusals))
    }

    func loadConflicts() -> AppEvent {
        .conflicts(.loaded((try? scope.current?.store.conflicts()) ?? []))
    }

    func resolveConflict(collection: String, id: String, resolution: ConflictResolution) -> AppEvent {
        guard let store = scope.current?.store else { return .account(.sessionExpired) }
        do {
            try store.resolveConflict(collection: collection, recordId: id, resolution: resolution, now: now())
            return .conflicts(.resolved(collection: collection, id: id))
        } catch {
            return .form(.saveFailed("Could not settle the conflict: \(error)"))
        }
    }

    /// Gives up a write the server refused.
    func discardRefusal(collection: String, id: String) -> AppEvent {
        guard let store = scope.current?.store else { return .account(.sessionExpired) }
        do {
            try store.discardRefused(collection: collection, id: id)
            return .sync(.refusalDiscarded(collection: collection, id: id))
        } catch {
            return .form(.saveFailed("Could not discard: \(error)"))
        }
    }
}
