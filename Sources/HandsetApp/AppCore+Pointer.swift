import Foundation
import HandsetStore

/// The command palette and the mouse: two more ways to reach what the keys do.
extension AppCore {
    static func handlePaletteKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard var palette = state.palette else { return [] }
        let matches = Palette.matches(palette.text, in: Palette.commands(for: state))
        switch key {
        case .escape:
            state.palette = nil
            return []
        case .enter:
            state.palette = nil
            guard matches.indices.contains(palette.selected) else { return [] }
            return run(matches[palette.selected].action, in: &state)
        case .down, .tab, .control("n"):
            palette.selected = min(palette.selected + 1, max(matches.count - 1, 0))
        case .up, .backTab, .control("p"):
            palette.selected = max(palette.selected - 1, 0)
        case .backspace:
            if palette.text.isEmpty {
                state.palette = nil
                return []
            }
            palette.text.removeLast()
            palette.selected = 0
        case .control("u"):
            palette.text = ""
            palette.selected = 0
        case .character(let character):
            palette.text.append(character)
            palette.selected = 0
        default:
            break
        }
        state.palette = palette
        return []
    }

    /// Does what a palette command says, from whatever screen is showing.
    static func run(_ action: PaletteCommand.Action, in state: inout AppState) -> [AppEffect] {
        switch action {
        case .listKey(let key):
            leaveForList(&state)
            return handleListKey(key, in: &state)
        case .collection(let name):
            leaveForList(&state)
            guard state.list?.collection != name else { return [] }
            state.filter = nil
            state.isEditingFilter = false
            state.list = RecordListState(collection: name)
            var effects: [AppEffect] = [.loadRecords(collection: name, offset: 0, limit: RecordListState.windowSize, sort: state.sorts[name] ?? RecordSort())]
            if !state.isSyncing {
                state.isSyncing = true
                effects.append(.sync(collection: name))
            }
            return effects
        case .theme(let name):
            state.themeName = name
            state.message = StatusMessage("Theme: \(name)")
            return []
        case .markAllRead:
            return [.markRead(nil)]
        case .setUpAuthenticator:
            if case .edit = state.screen { return [] }
            state.screen = .account
            return [.loadMFA, .startTOTPSetup]
        case .signOut(let everywhere):
            return [.signOut(everywhere: everywhere)]
        case .help:
            state.help = ""
            return []
        case .quit:
            state.shouldQuit = true
            return []
        }
    }

    /// Goes back to the list from a screen that holds nothing unsaved; an open form stays (its own guard asks).
    private static func leaveForList(_ state: inout AppState) {
        switch state.screen {
        case .edit, .signIn: return
        default: state.screen = .list
        }
    }

    static func handleMouse(_ target: MouseTarget?, _ action: MouseAction, in state: inout AppState) -> [AppEffect] {
        if state.help != nil {
            if action == .click { state.help = nil }
            return []
        }
        if var palette = state.palette {
            guard case .paletteRow(let row)? = target else {
                if action == .click { state.palette = nil }
                return []
            }
            palette.selected = row
            state.palette = palette
            return action == .click || action == .doubleClick ? handlePaletteKey(.enter, in: &state) : []
        }
        switch state.screen {
        case .list:
            if state.isEditingFilter { state.isEditingFilter = false }
            switch (action, target) {
            case (.wheelUp, _): return handleListKey(.up, times: 3, in: &state)
            case (.wheelDown, _): return handleListKey(.down, times: 3, in: &state)
            case (.click, .listRow(let row)?), (.doubleClick, .listRow(let row)?):
                guard var list = state.list, row < list.total else { return [] }
                // A click on the selected row opens it, as a double click does anywhere.
                let opens = action == .doubleClick || row == list.selected
                let load = list.moveSelection(by: row - list.selected, viewportRows: state.viewportRows)
                state.list = list
                var effects: [AppEffect] = []
                if let load { effects.append(.loadRecords(collection: list.collection, offset: load.offset, limit: load.limit, sort: state.sorts[list.collection] ?? RecordSort())) }
                if opens, let id = list.selectedRecord?.id { effects += openDetail(id, in: &state) }
                return effects
            case (.click, .tab(let name)?):
                return run(.collection(name), in: &state)
            default:
                return []
            }
        case .inbox(let selected):
            switch (action, target) {
            case (.wheelUp, _): return handleInboxKey(.up, selected: selected, in: &state)
            case (.wheelDown, _): return handleInboxKey(.down, selected: selected, in: &state)
            case (.click, .inboxRow(let row)?), (.doubleClick, .inboxRow(let row)?):
                guard state.inbox.indices.contains(row) else { return [] }
                state.screen = .inbox(selected: row)
                return row == selected || action == .doubleClick ? handleInboxKey(.enter, selected: row, in: &state) : []
            default:
                return []
            }
        case .detail, .account:
            // A click on a tab goes back to the list there; the wheel has nothing to scroll.
            if action == .click, case .tab(let name)? = target { return run(.collection(name), in: &state) }
            return []
        default:
            return []
        }
    }

    private static func handleListKey(_ key: Key, times: Int, in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        for _ in 0..<times { effects += handleListKey(key, in: &state) }
        return effects
    }
}
