import Foundation
import HandsetModel

/// The conflicts screen: one conflict at a time, settled as a whole or field by field.
enum ConflictsReducer {
    static func reduce(_ event: ConflictsEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .loaded(let conflicts):
            state.sync.conflictCount = conflicts.count
            if let link = state.inbox.conflictLink {
                state.inbox.conflictLink = nil
                guard
                    let index = conflicts.firstIndex(where: {
                        $0.collection == link.collection && $0.recordId == link.id
                    })
                else {
                    state.message = StatusMessage(
                        "That conflict is not on this device: it happened on another of your devices, and is settled there",
                        kind: .error)
                    return []
                }
                var screen = ConflictsState(conflicts: conflicts)
                screen.index = index
                screen.startCurrent()
                state.screen = .conflicts(screen)
                return []
            }
            if case .conflicts(var screen) = state.screen {
                screen.replace(conflicts)
                state.screen = conflicts.isEmpty ? .list : .conflicts(screen)
                if conflicts.isEmpty { state.message = StatusMessage("No conflicts left") }
            } else if !conflicts.isEmpty {
                state.screen = .conflicts(ConflictsState(conflicts: conflicts))
            } else if !state.sync.refusals.isEmpty {
                RefusedReducer.open(in: &state)
            } else {
                state.message = StatusMessage("No conflicts")
            }
            return []

        case .resolved(let collection, _):
            state.message = StatusMessage("Settled; it syncs in the background")
            return [.loadConflicts] + SyncReducer.afterLocalWrite(collection: collection, in: &state)
        }
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard case .conflicts(var screen) = state.screen else { return [] }
        switch screen.handle(key) {
        case .none:
            state.screen = .conflicts(screen)
            return []
        case .close:
            state.screen = .list
            return []
        case .resolve(let collection, let id, let resolution):
            state.screen = .conflicts(screen)
            return [.resolveConflict(collection: collection, id: id, resolution)]
        }
    }
}
