import Foundation
import HandsetModel
import HandsetWire

/// The refused writes screen, beside the conflicts: each write the server refused for good, with its reason. Enter
/// opens the record (fix it there with `e`, and the fixed version is sent), `x` discards the write.
enum RefusedReducer {
    static func handle(_ key: Key, selected: Int, in state: inout AppState) -> [AppEffect] {
        let refusals = state.sync.refusals
        guard refusals.indices.contains(selected) else {
            state.screen = .list
            return []
        }
        let refusal = refusals[selected]
        switch key {
        case .escape, .character("q"), .character("h"), .left:
            state.screen = .list
        case .down, .character("j"):
            state.screen = .refused(selected: min(selected + 1, refusals.count - 1))
        case .up, .character("k"):
            state.screen = .refused(selected: max(selected - 1, 0))
        case .enter, .character("l"), .right:
            return [.openLinkedRecord(RecordLink(collection: refusal.collection, id: refusal.recordId))]
        case .character("x"):
            return [.discardRefusal(collection: refusal.collection, id: refusal.recordId)]
        default:
            break
        }
        return []
    }

    /// Opens the screen when there is something on it.
    static func open(in state: inout AppState) {
        if state.sync.refusals.isEmpty {
            state.message = StatusMessage("No refused writes")
        } else {
            state.screen = .refused(selected: 0)
        }
    }
}
