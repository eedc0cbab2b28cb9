import Foundation
import HandsetApp

/// Draws the whole app state into a grid of the terminal's size.
public enum Renderer {
    public static let minimumWidth = 30
    public static let minimumHeight = 8

    public static func render(
        _ state: AppState, width: Int, height: Int, timeZone: TimeZone = .current, now: Date = Date()
    ) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            grid.put("Terminal too small", x: 0, y: 0, role: .error)
            grid.put("need \(minimumWidth)x\(minimumHeight)", x: 0, y: 1, role: .dim)
            return grid
        }
        switch state.screen {
        case .signIn(let form):
            SignInView.render(
                form, options: state.signInOptions, offersCode: state.offersSignInWithCode,
                passwordOptional: state.allowsSignUpWithoutPassword, subtitle: "Sign in · profile \(state.profile)",
                into: &grid)
        case .mfaSetup(let form):
            SignInView.render(form, subtitle: "Add an authenticator app · \(state.user?.username ?? "")", into: &grid)
        case .list:
            RecordListView.render(state, timeZone: timeZone, now: now, into: &grid)
        case .detail(let recordId), .confirmDelete(let recordId):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            let confirming = state.screen == .confirmDelete(recordId: recordId)
            DetailView.render(
                state, recordId: recordId, confirmingDelete: confirming, timeZone: timeZone, into: &grid)
            let attachmentHints: [(String, String)] =
                state.currentCollection?.fields.contains { $0.kind == .objectKey } == true
                ? [("u", "upload"), ("s", "save file"), ("R", "restore")] : []
            let refused = state.sync.refusals.contains { $0.recordId == recordId }
            KeyHints.render(
                [("e", refused ? "fix" : "edit"), ("d", "delete")] + (refused ? [("x", "discard")] : [])
                    + attachmentHints + [("Esc", "back")], row: grid.height - 1,
                into: &grid)
        case .inbox(let selected):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            InboxView.render(
                state.inbox.items, selected: selected, unread: state.inbox.unreadCount, timeZone: timeZone,
                into: &grid)
            KeyHints.render(
                [
                    ("↑↓", "move"), ("Enter", "open"), ("Space", "read all of it"), ("m", "mark read"),
                    ("a", "all read"), ("Esc", "back"),
                ],
                row: grid.height - 1, into: &grid)
        case .notification(let index):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            if state.inbox.items.indices.contains(index) {
                InboxView.renderFull(
                    state.inbox.items[index], scroll: state.scroll.offset, timeZone: timeZone, into: &grid)
            }
            let hasLink = state.inbox.items.indices.contains(index) && state.inbox.items[index].link != nil
            KeyHints.render(
                [("↑↓", "scroll")] + (hasLink ? [("Enter", "open the record")] : []) + [("Esc", "back")],
                row: grid.height - 1, into: &grid)
        case .account:
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            AccountView.render(state, into: &grid)
            KeyHints.render(
                [("m", "authenticator"), ("t", "theme"), ("o", "sign out"), ("O", "everywhere"), ("Esc", "back")],
                row: grid.height - 1, into: &grid)
        case .conflicts(let screen):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            ConflictsView.render(
                screen, schema: state.schema, fileNames: state.attachments.info.compactMapValues(\.fileName),
                related: state.related, into: &grid)
            KeyHints.render(
                [
                    ("↑↓", "field"), ("←→", "side"), ("Enter", "save mix"), ("m", "keep mine"), ("t", "take theirs"),
                    ("Esc", "back"), ("]", "next"),
                ],
                row: grid.height - 1, into: &grid)
        case .refused(let selected):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            RefusedView.render(state.sync.refusals, selected: selected, into: &grid)
            KeyHints.render(
                [("↑↓", "move"), ("Enter", "open the record"), ("x", "discard"), ("Esc", "back")],
                row: grid.height - 1, into: &grid)
        case .edit(let form):
            RecordListView.renderChrome(state, timeZone: timeZone, now: now, into: &grid)
            EditFormView.render(
                form, fileNames: state.attachments.info.compactMapValues(\.fileName), related: state.related,
                into: &grid)
            KeyHints.render(
                [("Tab", "next field"), ("Ctrl-S", "save"), ("Ctrl-X Ctrl-E", "$EDITOR"), ("Esc", "cancel")],
                row: grid.height - 1, into: &grid)
        }
        switch state.screen {
        case .signIn, .mfaSetup: break
        default:
            StatusBarView.renderMessageBand(state, timeZone: timeZone, now: now, row: grid.height - 2, into: &grid)
        }
        if let transfer = state.attachments.transfer {
            TransferView.render(transfer, row: grid.height - 3, into: &grid)
        }
        if let prompt = state.attachments.prompt {
            TransferView.render(prompt, row: grid.height - 3, into: &grid)
        }
        if let palette = state.palette {
            PaletteView.render(state, palette: palette, into: &grid)
        }
        if let confirmation = state.confirmation {
            ConfirmationView.render(confirmation, into: &grid)
        }
        if state.isShowingMessages {
            MessageLogView.render(state, timeZone: timeZone, into: &grid)
        }
        if let filter = state.help {
            HelpView.render(state, filter: filter, into: &grid)
        }
        return grid
    }

    /// The furthest the screen drawn for `state` can scroll at this size (nil: it does not scroll). The UI loop
    /// reports it after drawing, so that scrolling stops at the last line.
    public static func scrollLimit(_ state: AppState, width: Int, height: Int, timeZone: TimeZone = .current) -> Int? {
        guard width >= minimumWidth, height >= minimumHeight else { return nil }
        if state.isShowingMessages {
            return MessageLogView.scrollLimit(state, width: width, height: height, timeZone: timeZone)
        }
        switch state.screen {
        case .detail(let recordId), .confirmDelete(let recordId):
            return DetailView.scrollLimit(state, recordId: recordId, width: width, height: height, timeZone: timeZone)
        case .notification(let index):
            guard state.inbox.items.indices.contains(index) else { return nil }
            return InboxView.scrollLimit(state.inbox.items[index], width: width, height: height, timeZone: timeZone)
        default:
            return nil
        }
    }

    /// Rows the list body gets in a terminal of `height` rows.
    public static func listRows(forHeight height: Int) -> Int {
        max(height - RecordListView.chromeRows, 1)
    }
}
