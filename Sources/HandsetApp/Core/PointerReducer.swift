import Foundation
import HandsetModel

/// The mouse: clicks and the wheel do what keys do, on what the renderer found under the pointer.
enum PointerReducer {
    static func handle(_ target: MouseTarget?, _ action: MouseAction, in state: inout AppState) -> [AppEffect] {
        if state.help != nil {
            if action == .click { state.help = nil }
            return []
        }
        if state.isShowingMessages {
            switch action {
            case .wheelUp: for _ in 0..<3 { _ = state.scroll.handle(.up) }
            case .wheelDown: for _ in 0..<3 { _ = state.scroll.handle(.down) }
            default: state.isShowingMessages = false
            }
            return []
        }
        if var palette = state.palette {
            guard case .paletteRow(let row)? = target else {
                if action == .click { state.palette = nil }
                return []
            }
            palette.selected = row
            state.palette = palette
            return action == .click || action == .doubleClick ? PaletteReducer.handle(.enter, in: &state) : []
        }
        switch state.screen {
        case .list:
            if state.list?.isEditingFilter == true { state.list?.isEditingFilter = false }
            switch (action, target) {
            case (.wheelUp, _): return handleListKey(.up, times: 3, in: &state)
            case (.wheelDown, _): return handleListKey(.down, times: 3, in: &state)
            case (.click, .listRow(let row)?), (.doubleClick, .listRow(let row)?):
                guard let list = state.list, row < list.total else { return [] }
                // A click on the selected row opens it, as a double click does anywhere.
                let opens = action == .doubleClick || row == list.selected
                var effects = ListReducer.moveSelection(by: row - list.selected, in: &state)
                if opens, let id = state.list?.selectedRecord?.id { effects += DetailReducer.open(id, in: &state) }
                return effects
            case (.click, .tab(let name)?):
                return PaletteReducer.run(.collection(name), in: &state)
            default:
                return []
            }
        case .inbox(let selected):
            switch (action, target) {
            case (.wheelUp, _): return InboxReducer.handle(.up, selected: selected, in: &state)
            case (.wheelDown, _): return InboxReducer.handle(.down, selected: selected, in: &state)
            case (.click, .inboxRow(let row)?), (.doubleClick, .inboxRow(let row)?):
                guard state.inbox.items.indices.contains(row) else { return [] }
                state.screen = .inbox(selected: row)
                return row == selected || action == .doubleClick
                    ? InboxReducer.handle(.enter, selected: row, in: &state) : []
            default:
                return []
            }
        case .detail, .account, .notification:
            // The wheel scrolls a long record or notification; a click on a tab goes back to the list there.
            switch action {
            case .wheelUp: for _ in 0..<3 { _ = state.scroll.handle(.up) }
            case .wheelDown: for _ in 0..<3 { _ = state.scroll.handle(.down) }
            case .click:
                if case .tab(let name)? = target { return PaletteReducer.run(.collection(name), in: &state) }
            default: break
            }
            return []
        default:
            return []
        }
    }

    private static func handleListKey(_ key: Key, times: Int, in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        for _ in 0..<times { effects += ListReducer.handle(key, in: &state) }
        return effects
    }
}
