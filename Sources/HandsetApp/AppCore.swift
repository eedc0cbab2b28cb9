import Foundation
import HandsetModel

/// The app's logic: `update(state, event) -> effects`, pure and synchronous, so every flow is tested without
/// a terminal, a network or a clock.
public enum AppCore {
    public static func update(_ state: inout AppState, _ event: AppEvent) -> [AppEffect] {
        switch event {
        case .launched(let user, let cachedSchema, let lastSyncedAt):
            state.lastSyncedAt = lastSyncedAt
            guard let user else {
                state.screen = .signIn(SignInState())
                return []
            }
            state.user = user
            state.screen = .list
            var effects: [AppEffect] = []
            if let cachedSchema {
                effects += show(schema: cachedSchema, in: &state)
            }
            effects.append(.refreshSchema)
            return effects

        case .resized(let rows):
            state.viewportRows = max(rows, 1)
            if var list = state.list {
                let load = list.moveSelection(by: 0, viewportRows: state.viewportRows)
                state.list = list
                if let load { return [.loadRecords(collection: list.collection, offset: load.offset, limit: load.limit)] }
            }
            return []

        case .key(let key):
            return handle(key, in: &state)

        case .signInSucceeded(let user):
            state.user = user
            state.screen = .list
            state.message = StatusMessage("Signed in as \(user.username)")
            state.connectivity = .online
            return [.refreshSchema]

        case .signInFailed(let message):
            if case .signIn(var form) = state.screen {
                form.isSubmitting = false
                form.error = message
                form.password = ""
                form.answer = ""
                form.stage = .credentials
                form.focus = .password
                state.screen = .signIn(form)
            }
            return []

        case .signInPrompt(let prompt, let error):
            if case .signIn(var form) = state.screen {
                form.show(prompt, error: error)
                state.screen = .signIn(form)
            }
            return []

        case .schemaLoaded(let schema):
            state.connectivity = .online
            var effects = show(schema: schema, in: &state)
            if let collection = state.list?.collection {
                state.isSyncing = true
                effects.append(.sync(collection: collection))
            }
            return effects

        case .recordsLoaded(let collection, let offset, let records, let total):
            guard var list = state.list, list.collection == collection else { return [] }
            list.window = records
            list.windowOffset = offset
            list.total = total
            if list.selected >= total { list.selected = max(total - 1, 0) }
            _ = list.moveSelection(by: 0, viewportRows: state.viewportRows)
            state.list = list
            return []

        case .syncFinished(let collection, let count, let date):
            state.isSyncing = false
            state.connectivity = .online
            state.lastSyncedAt = date
            state.syncedCount = count
            guard let list = state.list, list.collection == collection else { return [] }
            return [.loadRecords(collection: collection, offset: list.windowOffset, limit: RecordListState.windowSize)]

        case .remoteFailed(let message, let offline):
            state.isSyncing = false
            if offline {
                state.connectivity = .offline(message)
            } else {
                state.message = StatusMessage(message, kind: .error)
            }
            if state.schema == nil {
                state.message = StatusMessage(
                    offline ? "Offline, and nothing is cached yet: \(message)" : message, kind: .error)
            }
            return []

        case .sessionExpired:
            state.isSyncing = false
            state.user = nil
            state.screen = .signIn(SignInState(error: "Your session has expired; please sign in again"))
            return []
        }
    }

    /// Installs a schema and makes sure a valid collection is selected and loaded.
    static func show(schema: APISchema, in state: inout AppState) -> [AppEffect] {
        state.schema = schema
        let current = state.list?.collection
        let name =
            current.flatMap { schema.collection(named: $0)?.name } ?? schema.collections.first?.name
        guard let name else {
            state.list = nil
            state.message = StatusMessage("The API has no collections", kind: .error)
            return []
        }
        if state.list?.collection != name { state.list = RecordListState(collection: name) }
        return [.loadRecords(collection: name, offset: state.list?.windowOffset ?? 0, limit: RecordListState.windowSize)]
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        if key == .control("c") || key == .control("q") {
            state.shouldQuit = true
            return []
        }
        switch state.screen {
        case .signIn(var form):
            if key == .escape, form.stage == .credentials {
                state.shouldQuit = true
                return []
            }
            let outcome = form.handle(key)
            state.screen = .signIn(form)
            switch outcome {
            case .submit(let username, let password): return [.signIn(username: username, password: password)]
            case .answer(let answer): return [.answerSignIn(answer)]
            case .cancel, .none: return []
            }
        case .list:
            return handleListKey(key, in: &state)
        }
    }

    static func handleListKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        let page = max(state.viewportRows - 1, 1)
        let delta: Int?
        switch key {
        case .down, .character("j"): delta = 1
        case .up, .character("k"): delta = -1
        case .pageDown, .control("f"): delta = page
        case .pageUp, .control("b"): delta = -page
        case .home, .character("g"): delta = Int.min / 2
        case .end, .character("G"): delta = Int.max / 2
        default: delta = nil
        }
        if let delta {
            guard var list = state.list else { return [] }
            let load = list.moveSelection(by: delta, viewportRows: state.viewportRows)
            state.list = list
            if let load { return [.loadRecords(collection: list.collection, offset: load.offset, limit: load.limit)] }
            return []
        }
        switch key {
        case .character("q"):
            state.shouldQuit = true
            return []
        case .character("r"):
            guard let collection = state.list?.collection, !state.isSyncing else { return [] }
            state.isSyncing = true
            state.message = nil
            return state.schema == nil ? [.refreshSchema] : [.sync(collection: collection)]
        case .tab, .character("]"), .backTab, .character("["):
            guard let schema = state.schema, !schema.collections.isEmpty else { return [] }
            let names = schema.collections.map(\.name)
            let index = names.firstIndex(of: state.list?.collection ?? "") ?? 0
            let step = (key == .tab || key == .character("]")) ? 1 : names.count - 1
            let name = names[(index + step) % names.count]
            state.list = RecordListState(collection: name)
            state.isSyncing = true
            return [
                .loadRecords(collection: name, offset: 0, limit: RecordListState.windowSize),
                .sync(collection: name),
            ]
        default:
            return []
        }
    }
}
