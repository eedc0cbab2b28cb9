import Foundation
import HandsetModel

/// Syncing: the schedule decides when, this turns its actions into effects and shows how it went.
enum SyncReducer {
    static func reduce(_ event: SyncEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .finished(let collection, let count, let date, let rekeyed):
            state.adoptServerIDs(rekeyed)
            _ = state.sync.schedule.handle(.finished(at: date, interval: state.settings.syncInterval))
            state.sync.progress = nil
            state.sync.connectivity = .online
            state.sync.lastSyncedAt = date
            state.sync.syncedCount = count
            // The cloud is back: the inbox need not wait out its offline backoff.
            _ = state.inbox.poll.handle(.cloudBack(at: date))
            guard let list = state.list, list.collection == collection else { return [.loadCounts] }
            return [ListReducer.reload(list, in: state), .loadCounts]

        case .failed(let message, let offline):
            _ = state.sync.schedule.handle(.failed(offline: offline, at: state.now))
            state.sync.progress = nil
            if offline {
                state.sync.connectivity = .offline(message)
            } else {
                state.message = StatusMessage(message, kind: .error)
            }
            if state.schema == nil {
                state.message = StatusMessage(
                    offline ? "Offline, and nothing is cached yet: \(message)" : message, kind: .error)
            }
            return []

        case .progress(let progress):
            guard state.sync.isSyncing else { return [] }
            state.sync.progress = progress
            // Records appear while a long first sync runs: the visible window is reloaded as pages land, while it
            // is not yet full (a full window stays put under the person's cursor until the sync ends).
            if case .pulling(let collection, _) = progress, let list = state.list, list.collection == collection,
                list.total < state.viewportRows, list.filter == nil
            {
                return [ListReducer.reload(list, in: state), .loadCounts]
            }
            return []

        case .countsLoaded(let pending, let conflicts, let refusals):
            state.sync.pendingCount = pending
            state.sync.conflictCount = conflicts
            state.sync.refusals = refusals
            if case .refused(let selected) = state.screen {
                state.screen = refusals.isEmpty ? .list : .refused(selected: min(selected, refusals.count - 1))
            }
            return []

        case .refusalDiscarded(let collection, _):
            state.message = StatusMessage("Discarded; the record is as the server has it")
            if case .detail = state.screen { state.screen = .list }
            var effects: [AppEffect] = [.loadCounts]
            if let list = state.list, list.collection == collection {
                effects.insert(ListReducer.reload(list, in: state), at: 0)
            }
            return effects
        }
    }

    /// Starts a sync of the collection showing when the schedule agrees (`.requested`, `.forced`).
    static func start(_ trigger: SyncSchedule.Event, in state: inout AppState) -> [AppEffect] {
        effects(for: state.sync.schedule.handle(trigger), in: &state)
    }

    /// Runs the schedule's clock.
    static func tick(_ now: Date, in state: inout AppState) -> [AppEffect] {
        effects(for: state.sync.schedule.handle(.tick(now, interval: state.settings.syncInterval)), in: &state)
    }

    /// Reloads the list after a local write and starts a background sync (which pushes it).
    static func afterLocalWrite(collection: String, in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = [.loadCounts]
        if let list = state.list, list.collection == collection {
            effects.insert(ListReducer.reload(list, in: state), at: 0)
        }
        if state.sync.schedule.handle(.requested) == [.sync] {
            effects.append(.sync(collection: collection))
        }
        return effects
    }

    private static func effects(for actions: [SyncSchedule.Action], in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        for action in actions {
            switch action {
            case .timedOut:
                state.message = StatusMessage("Sync timed out; trying again", kind: .error)
            case .sync:
                // Without a schema there is nothing to sync yet: fetching it starts the first sync.
                if state.schema == nil {
                    effects.append(.refreshSchema)
                } else if let collection = state.list?.collection {
                    effects.append(.sync(collection: collection))
                } else {
                    _ = state.sync.schedule.handle(.cancelled)
                }
            }
        }
        return effects
    }
}
