import Foundation
import HandsetModel
import HandsetWire

/// The app's logic: `update(state, event) -> effects`, pure and synchronous, so every flow is tested without
/// a terminal, a network or a clock.
///
/// This type only routes: input goes to the overlay or screen that has the focus, results go to the feature they
/// are addressed to, and each feature's reducer (`SignInReducer`, `ListReducer`, …) does the work.
public enum AppCore {
    public static func update(_ state: inout AppState, _ event: AppEvent) -> [AppEffect] {
        let before = state.message
        let screenBefore = state.screen
        let logBefore = state.isShowingMessages
        let effects = route(event, in: &state)
        if state.message != before, let message = state.message {
            state.messages.record(message, at: state.now)
        }
        // Another screen (or record) starts at its top; the message log starts at its newest line.
        if state.screen != screenBefore && !sameScreen(state.screen, screenBefore)
            || state.isShowingMessages != logBefore
        {
            state.scroll.reset()
            if state.isShowingMessages { state.scroll.offset = Int.max / 2 }
        }
        return effects
    }

    /// Whether two screens are the same page (a confirmation on the detail is still the detail).
    static func sameScreen(_ one: Screen, _ other: Screen) -> Bool {
        switch (one, other) {
        case (.detail(let a), .detail(let b)), (.detail(let a), .confirmDelete(let b)),
            (.confirmDelete(let a), .detail(let b)):
            return a == b
        case (.notification(let a), .notification(let b)): return a == b
        default: return false
        }
    }

    static func route(_ event: AppEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .launched(let user, let cachedSchema, let lastSyncedAt):
            return launch(user: user, cachedSchema: cachedSchema, lastSyncedAt: lastSyncedAt, in: &state)
        case .resized(let rows):
            state.viewportRows = max(rows, 1)
            state.scroll.page = max(rows - 1, 1)
            return ListReducer.moveSelection(by: 0, in: &state)
        case .key(let key):
            return handle(key, in: &state)
        case .mouse(let target, let action):
            return PointerReducer.handle(target, action, in: &state)
        case .tick(let now):
            return tick(now, in: &state)
        case .effectDone:
            return []
        case .measured(let limit):
            state.scroll.limit = limit
            if let limit { state.scroll.offset = min(state.scroll.offset, limit) }
            return []
        case .signIn(let event):
            return SignInReducer.reduce(event, in: &state)
        case .account(let event):
            return AccountReducer.reduce(event, in: &state)
        case .list(let event):
            return ListReducer.reduce(event, in: &state)
        case .sync(let event):
            return SyncReducer.reduce(event, in: &state)
        case .form(let event):
            return FormReducer.reduce(event, in: &state)
        case .conflicts(let event):
            return ConflictsReducer.reduce(event, in: &state)
        case .inbox(let event):
            return InboxReducer.reduce(event, in: &state)
        case .attachments(let event):
            return AttachmentsReducer.reduce(event, in: &state)
        }
    }

    static func launch(
        user: SignedInUser?, cachedSchema: APISchema?, lastSyncedAt: Date?, in state: inout AppState
    ) -> [AppEffect] {
        state.sync.lastSyncedAt = lastSyncedAt
        guard let user else {
            state.screen = .signIn(SignInState())
            return []
        }
        state.user = user
        state.dataOwner = user.sub
        state.screen = .list
        var effects: [AppEffect] = []
        if let cachedSchema {
            effects += ListReducer.show(schema: cachedSchema, in: &state)
        }
        effects.append(.refreshSchema)
        effects.append(.loadCounts)
        return effects
    }

    /// A key goes to the overlay on top (help, palette, prompt), else to the screen showing.
    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        // Terminals send Alt-x as Esc and x together; outside the word keys of a text input it was Esc, then x,
        // pressed quickly.
        if case .alt(let character) = key, !(acceptsText(state) && TextInput.altKeys.contains(character)) {
            return handle(.escape, in: &state) + handle(.character(character), in: &state)
        }
        // Job control, whatever is showing (a question waits until `fg`): raw mode turns off the terminal's own
        // Ctrl-Z, so the app does it.
        if key == .control("z") { return [.suspend] }
        if state.confirmation != nil {
            return ConfirmationReducer.handle(key, in: &state)
        }
        if key == .control("c") || key == .control("q") {
            ConfirmationReducer.quit(in: &state)
            return []
        }
        if state.help != nil {
            return handleHelpKey(key, in: &state)
        }
        if state.isShowingMessages {
            if !state.scroll.handle(key) { state.isShowingMessages = false }
            return []
        }
        if state.palette != nil {
            return PaletteReducer.handle(key, in: &state)
        }
        if state.attachments.prompt != nil {
            return AttachmentsReducer.handlePromptKey(key, in: &state)
        }
        var key = key
        if !isTyping(state) { key = state.settings.keyBindings.translate(key) }
        if key == .character("?"), !isTyping(state) {
            state.help = TextInput()
            return []
        }
        if state.user != nil, key == .character("M"), !isTyping(state) {
            if case .signIn = state.screen {
            } else {
                state.isShowingMessages = true
                return []
            }
        }
        if state.user != nil, key == .control("p") || (key == .character(":") && !isTyping(state)) {
            if case .signIn = state.screen { return [] }
            state.palette = PaletteState()
            return []
        }
        switch state.screen {
        case .signIn:
            return SignInReducer.handle(key, in: &state)
        case .list:
            return ListReducer.handle(key, in: &state)
        case .detail(let recordId):
            return DetailReducer.handle(key, recordId: recordId, in: &state)
        case .confirmDelete(let recordId):
            return DetailReducer.handleDeleteConfirmation(key, recordId: recordId, in: &state)
        case .inbox(let selected):
            return InboxReducer.handle(key, selected: selected, in: &state)
        case .notification(let index):
            return InboxReducer.handleFull(key, index: index, in: &state)
        case .account, .mfaSetup:
            return AccountReducer.handle(key, in: &state)
        case .conflicts:
            return ConflictsReducer.handle(key, in: &state)
        case .refused(let selected):
            return RefusedReducer.handle(key, selected: selected, in: &state)
        case .edit:
            return FormReducer.handle(key, in: &state)
        }
    }

    /// Whether a text input has the keys (a field, the filter, the palette, a prompt, help's filter).
    static func acceptsText(_ state: AppState) -> Bool {
        state.help != nil || state.palette != nil || state.attachments.prompt != nil || isTyping(state)
    }

    /// Whether keys are text right now (a form field, the filter), so `?` is a character, not help.
    static func isTyping(_ state: AppState) -> Bool {
        switch state.screen {
        case .signIn, .edit, .mfaSetup: return true
        case .list: return state.list?.isEditingFilter ?? false
        default: return false
        }
    }

    static func handleHelpKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard var filter = state.help else { return [] }
        switch key {
        case .escape, .enter:
            state.help = nil
        case .character("?") where filter.text.isEmpty:
            state.help = nil
        default:
            filter.handle(key)
            state.help = filter
        }
        return []
    }

    /// The clock: messages fade, and while signed in the inbox poll and the sync schedule run.
    static func tick(_ now: Date, in state: inout AppState) -> [AppEffect] {
        state.now = now
        state.messages.fade(&state.message, now: now)
        guard state.user != nil else { return [] }
        if case .signIn = state.screen { return [] }
        return InboxReducer.tick(now, in: &state) + SyncReducer.tick(now, in: &state)
    }
}
