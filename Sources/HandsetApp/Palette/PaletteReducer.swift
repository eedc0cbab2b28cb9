import Foundation
import HandsetModel

/// The command palette (`:` or Ctrl-P): type to filter, Enter runs the command from whatever screen is showing.
enum PaletteReducer {
    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
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
        case .backspace where palette.text.isEmpty:
            state.palette = nil
            return []
        default:
            let before = palette.text
            palette.input.handle(key)
            if palette.text != before { palette.selected = 0 }
        }
        state.palette = palette
        return []
    }

    /// Does what a palette command says, from whatever screen is showing.
    static func run(_ action: PaletteCommand.Action, in state: inout AppState) -> [AppEffect] {
        switch action {
        case .listKey(let key):
            leaveForList(&state)
            return ListReducer.handle(key, in: &state)
        case .formKey(let key):
            return FormReducer.handle(key, in: &state)
        case .collection(let name):
            leaveForList(&state)
            guard state.list?.collection != name else { return [] }
            return [ListReducer.open(collection: name, in: &state)] + SyncReducer.start(.requested, in: &state)
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
            guard everywhere else { return [.signOut(everywhere: false)] }
            state.confirmation = Confirmation(
                "Sign out on every device? Each one must sign in again. y signs out everywhere, any other key stays",
                .signOutEverywhere)
            return []
        case .help:
            state.help = TextInput()
            return []
        case .quit:
            ConfirmationReducer.quit(in: &state)
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
}
