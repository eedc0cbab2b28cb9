import Foundation
import HandsetModel
import HandsetStore
import HandsetWire

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
            effects.append(.loadCounts)
            return effects

        case .resized(let rows):
            state.viewportRows = max(rows, 1)
            if var list = state.list {
                let load = list.moveSelection(by: 0, viewportRows: state.viewportRows)
                state.list = list
                if let load { return [.loadRecords(collection: list.collection, offset: load.offset, limit: load.limit, sort: state.sorts[list.collection] ?? RecordSort())] }
            }
            return []

        case .key(let key):
            return handle(key, in: &state)

        case .mouse(let target, let action):
            return handleMouse(target, action, in: &state)

        case .effectDone:
            return []

        case .transferProgress, .attachmentUploaded, .attachmentDownloaded, .attachmentInfoLoaded, .attachmentFailed,
            .syncProgress:
            return handleAttachmentEvent(event, in: &state)

        case .externalEditFinished(let field, let text, let message):
            if case .edit(var form) = state.screen {
                if let text { form.setExternallyEdited(field: field, text: text) }
                state.screen = .edit(form)
            }
            if let message { state.message = StatusMessage(message, kind: text == nil ? .error : .info) }
            return []

        case .signInSucceeded(let user):
            state.user = user
            state.screen = .list
            state.message = StatusMessage("Signed in as \(user.username)")
            state.connectivity = .online
            return [.refreshSchema]

        case .signInFailed(let message):
            if case .signIn(var form) = state.screen {
                form.isSubmitting = false
                form.failures += 1
                form.error = SignInState.explainLockout(message, failures: form.failures)
                form.password = ""
                form.answer = ""
                form.stage = .credentials
                form.focus = .password
                state.screen = .signIn(form)
            }
            return []

        case .accountCodeSent(let destination):
            if case .signIn(var form) = state.screen {
                form.codeSent(to: destination)
                state.screen = .signIn(form)
            }
            return []

        case .accountConfirmed, .passwordWasReset:
            guard case .signIn(var form) = state.screen else { return [] }
            let password = form.password
            let note = event == .accountConfirmed ? "Account confirmed" : "Password changed"
            form = SignInState(username: form.username, focus: .password)
            guard !password.isEmpty else {
                form.notice = "\(note); sign in"
                state.screen = .signIn(form)
                return []
            }
            form.password = password
            form.notice = "\(note); signing in…"
            form.isSubmitting = true
            state.screen = .signIn(form)
            return [.signIn(username: form.username, password: password)]

        case .mfaLoaded(let settings):
            let wasSettingUp: Bool
            if case .mfaSetup = state.screen { wasSettingUp = true } else { wasSettingUp = false }
            let hadApp = state.mfa?.enabled.contains("SOFTWARE_TOKEN_MFA") ?? false
            state.mfa = settings
            let hasApp = settings.enabled.contains("SOFTWARE_TOKEN_MFA")
            if wasSettingUp {
                state.screen = .account
                state.message = StatusMessage("Authenticator app set up: sign-ins now ask for its code")
            } else if hadApp, !hasApp {
                state.message = StatusMessage("Authenticator app turned off")
            }
            return []

        case .totpSetupStarted(let secret, let uri):
            var form = SignInState(username: state.user?.username ?? "")
            form.show(.totpSetup(secret: secret, uri: uri), error: nil)
            state.screen = .mfaSetup(form)
            return []

        case .mfaFailed(let message):
            if case .mfaSetup(var form) = state.screen {
                form.isSubmitting = false
                form.answer = ""
                form.error = message
                state.screen = .mfaSetup(form)
            } else {
                state.message = StatusMessage(message, kind: .error)
            }
            return []

        case .accountStepFailed(let message):
            if case .signIn(var form) = state.screen {
                form.isSubmitting = false
                form.error = message
                // A refused code is typed again from scratch.
                switch form.stage {
                case .confirmSignUp, .resetPassword: form.answer = ""
                default: break
                }
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
            state.syncProgress = nil
            state.syncStartedAt = nil
            state.offlineRetryDelay = AutoSync.firstOfflineRetry
            state.nextAutoSyncAt = date.addingTimeInterval(state.settings.syncInterval)
            state.connectivity = .online
            state.lastSyncedAt = date
            state.syncedCount = count
            // The cloud is back: the inbox need not wait out its offline backoff.
            state.inboxRetryDelay = AutoSync.firstOfflineRetry
            if let next = state.nextInboxPollAt, next > date { state.nextInboxPollAt = date }
            guard let list = state.list, list.collection == collection else { return [.loadCounts] }
            return [reload(list, in: state), .loadCounts]

        case .remoteFailed(let message, let offline):
            state.isSyncing = false
            state.syncProgress = nil
            state.syncStartedAt = nil
            if offline {
                // Retry on the next ticks, waiting longer each time the cloud stays away.
                if case .offline = state.connectivity {
                    state.offlineRetryDelay = min(state.offlineRetryDelay * 2, AutoSync.maximumOfflineRetry)
                }
                state.nextAutoSyncAt = state.now.map { $0.addingTimeInterval(state.offlineRetryDelay) }
                state.connectivity = .offline(message)
            } else {
                state.message = StatusMessage(message, kind: .error)
            }
            if state.schema == nil {
                state.message = StatusMessage(
                    offline ? "Offline, and nothing is cached yet: \(message)" : message, kind: .error)
            }
            return []

        case .recordSaved(let collection, let id):
            state.message = StatusMessage("Saved; it syncs in the background")
            if case .edit(let form) = state.screen, form.collection == collection {
                // A new record may sort outside the loaded window: show the list, where it appears marked pending.
                state.screen = form.recordId == nil ? .list : .detail(recordId: id)
            }
            var effects = afterLocalWrite(collection: collection, in: &state)
            // Files typed into attachment fields go up now that the record exists on this device.
            for (field, path) in state.uploadsAfterSave.sorted(by: { $0.key < $1.key }) {
                state.transfer = TransferState(title: "Uploading \((path as NSString).lastPathComponent)")
                effects.append(.uploadAttachment(collection: collection, recordId: id, field: field, path: path))
            }
            state.uploadsAfterSave = [:]
            return effects

        case .recordDeleted(let collection, _):
            state.message = StatusMessage("Deleted; it syncs in the background")
            state.screen = .list
            return afterLocalWrite(collection: collection, in: &state)

        case .saveFailed(let message):
            if case .edit(var form) = state.screen {
                form.isSaving = false
                state.screen = .edit(form)
            }
            state.message = StatusMessage(message, kind: .error)
            return []

        case .tick(let now):
            return tick(now, in: &state)

        case .conflictsLoaded(let conflicts):
            state.conflictCount = conflicts.count
            if case .conflicts(var screen) = state.screen {
                let currentId = screen.current?.recordId
                screen.conflicts = conflicts
                screen.index = conflicts.firstIndex { $0.recordId == currentId } ?? 0
                if screen.current?.recordId != currentId {
                    screen.fieldIndex = 0
                    screen.choices = [:]
                }
                state.screen = conflicts.isEmpty ? .list : .conflicts(screen)
                if conflicts.isEmpty { state.message = StatusMessage("No conflicts left") }
            } else if !conflicts.isEmpty {
                state.screen = .conflicts(ConflictsState(conflicts: conflicts))
            } else {
                state.message = StatusMessage("No conflicts")
            }
            return []

        case .inboxPolled(let new, let unread):
            state.isPollingInbox = false
            state.inboxRetryDelay = AutoSync.firstOfflineRetry
            state.nextInboxPollAt = nil
            state.unreadCount = unread
            guard let newest = new.first else { return [] }
            let more = new.count > 1 ? " (and \(new.count - 1) more)" : ""
            state.message = StatusMessage("🔔 \(newest.title)\(more)")
            var effects: [AppEffect] = []
            if state.settings.bell || state.settings.desktopNotifications {
                effects.append(.alert(title: newest.title + more, body: newest.body))
            }
            if case .inbox = state.screen { effects.append(.loadInbox) }
            return effects

        case .inboxPollFailed:
            state.isPollingInbox = false
            state.nextInboxPollAt = state.now.map { $0.addingTimeInterval(state.inboxRetryDelay) }
            state.inboxRetryDelay = min(state.inboxRetryDelay * 2, AutoSync.maximumOfflineRetry)
            return []

        case .inboxLoaded(let items, let unread):
            state.inbox = items
            state.unreadCount = unread
            if case .inbox(let selected) = state.screen {
                state.screen = .inbox(selected: min(selected, max(items.count - 1, 0)))
            }
            return []

        case .signedOut(let message):
            state.user = nil
            state.isSyncing = false
            state.isPollingInbox = false
            state.nextAutoSyncAt = nil
            state.screen = .signIn(SignInState())
            state.message = StatusMessage(message)
            return []

        case .linkedRecordLoaded(let collection, let record):
            guard let record else {
                state.message = StatusMessage("That record is not on this device (yet); try r to sync", kind: .error)
                return []
            }
            state.focusedRecord = record
            var effects: [AppEffect] = []
            if state.list?.collection != collection, state.schema?.collection(named: collection) != nil {
                state.list = RecordListState(collection: collection)
                state.filter = nil
                effects.append(.loadRecords(collection: collection, offset: 0, limit: RecordListState.windowSize, sort: state.sorts[collection] ?? RecordSort()))
            }
            return effects + openDetail(record.id, in: &state)

        case .conflictResolved(let collection, _):
            state.message = StatusMessage("Settled; it syncs in the background")
            var effects: [AppEffect] = [.loadConflicts]
            effects += afterLocalWrite(collection: collection, in: &state)
            return effects

        case .countsLoaded(let pending, let conflicts):
            state.pendingCount = pending
            state.conflictCount = conflicts
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
        return [.loadRecords(collection: name, offset: state.list?.windowOffset ?? 0, limit: RecordListState.windowSize, sort: state.sorts[name] ?? RecordSort())]
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        if key == .control("c") || key == .control("q") {
            state.shouldQuit = true
            return []
        }
        if state.help != nil {
            return handleHelpKey(key, in: &state)
        }
        if state.palette != nil {
            return handlePaletteKey(key, in: &state)
        }
        if state.prompt != nil {
            return handlePromptKey(key, in: &state)
        }
        var key = key
        if !isTyping(state) { key = state.settings.keyBindings.translate(key) }
        if key == .character("?"), !isTyping(state) {
            state.help = ""
            return []
        }
        if state.user != nil, key == .control("p") || (key == .character(":") && !isTyping(state)) {
            if case .signIn = state.screen { return [] }
            state.palette = PaletteState()
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
            case .signUp(let username, let email, let password):
                return [.signUp(username: username, email: email, password: password)]
            case .confirmSignUp(let username, let code): return [.confirmSignUp(username: username, code: code)]
            case .forgotPassword(let username): return [.forgotPassword(username: username)]
            case .resetPassword(let username, let code, let newPassword):
                return [.resetPassword(username: username, code: code, newPassword: newPassword)]
            case .cancel, .none: return []
            }
        case .list:
            return handleListKey(key, in: &state)
        case .detail(let recordId):
            return handleDetailKey(key, recordId: recordId, in: &state)
        case .confirmDelete(let recordId):
            guard key == .character("y") || key == .character("Y"), let collection = state.list?.collection else {
                state.screen = .detail(recordId: recordId)
                return []
            }
            state.screen = .list
            return [.deleteRecord(collection: collection, id: recordId)]
        case .inbox(let selected):
            return handleInboxKey(key, selected: selected, in: &state)
        case .account:
            switch key {
            case .character("o"): return [.signOut(everywhere: false)]
            case .character("O"): return [.signOut(everywhere: true)]
            case .character("t"), .character("T"):
                let names = state.themeNames
                guard !names.isEmpty else { return [] }
                let index = names.firstIndex(of: state.themeName) ?? 0
                let step = key == .character("t") ? 1 : names.count - 1
                state.themeName = names[(index + step) % names.count]
                state.message = StatusMessage("Theme: \(state.themeName)")
            case .character("m"):
                state.message = StatusMessage("Asking the pool for a new authenticator key…")
                return [.startTOTPSetup]
            case .character("x") where state.mfa?.enabled.contains("SOFTWARE_TOKEN_MFA") == true:
                return [.disableTOTP]
            case .escape, .character("q"), .left, .character("h"): state.screen = .list
            default: break
            }
            return []
        case .mfaSetup(var form):
            switch form.handle(key) {
            case .answer(let code):
                state.screen = .mfaSetup(form)
                return [.verifyTOTPSetup(code: code)]
            case .cancel:
                state.screen = .account
                return []
            default:
                state.screen = .mfaSetup(form)
                return []
            }
        case .conflicts(var screen):
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
        case .edit(var form):
            guard let collection = state.schema?.collection(named: form.collection) else {
                state.screen = .list
                return []
            }
            let outcome = form.handle(key, collection: collection)
            switch outcome {
            case .none:
                state.screen = .edit(form)
                return []
            case .close:
                state.screen = form.recordId.map { .detail(recordId: $0) } ?? .list
                return []
            case .save(let fields):
                state.screen = .edit(form)
                let (saved, uploads) = splitUploads(fields, form: form)
                state.uploadsAfterSave = uploads
                return [.saveRecord(collection: form.collection, id: form.recordId, fields: saved)]
            case .editExternally(let field, let text):
                state.screen = .edit(form)
                return [.editExternally(field: field, text: text)]
            }
        }
    }

    /// Whether keys are text right now (a form field, the filter), so `?` is a character, not help.
    static func isTyping(_ state: AppState) -> Bool {
        switch state.screen {
        case .signIn, .edit, .mfaSetup: return true
        case .list: return state.isEditingFilter
        default: return false
        }
    }

    static func handleHelpKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        var text = state.help ?? ""
        switch key {
        case .escape, .character("?") where text.isEmpty, .enter:
            state.help = nil
            return []
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .character(let character):
            text.append(character)
        default:
            break
        }
        state.help = text
        return []
    }

    static func handleInboxKey(_ key: Key, selected: Int, in state: inout AppState) -> [AppEffect] {
        let items = state.inbox
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            state.screen = .list
        case .down, .character("j"):
            state.screen = .inbox(selected: min(selected + 1, max(items.count - 1, 0)))
        case .up, .character("k"):
            state.screen = .inbox(selected: max(selected - 1, 0))
        case .character("m"):
            guard items.indices.contains(selected) else { return [] }
            return [.markRead(items[selected].id)]
        case .character("a"):
            return [.markRead(nil)]
        case .enter, .right, .character("l"):
            guard items.indices.contains(selected) else { return [] }
            var effects: [AppEffect] = items[selected].read ? [] : [.markRead(items[selected].id)]
            if let link = items[selected].link {
                state.detailReturnsToInbox = selected
                effects.append(.openLinkedRecord(link))
            }
            return effects
        default:
            break
        }
        return []
    }

    /// Starts a sync when one is due: on an interval while online, with growing delays while offline, and never
    /// two at once. A sync that never answers is forgotten after the watchdog's limit.
    static func tick(_ now: Date, in state: inout AppState) -> [AppEffect] {
        state.now = now
        if state.message != state.messageShown {
            state.messageShown = state.message
            state.messageShownAt = now
        } else if let message = state.message, message.kind == .info, let shown = state.messageShownAt,
            now.timeIntervalSince(shown) >= AutoSync.messageLifetime
        {
            state.message = nil
            state.messageShown = nil
        }
        guard state.user != nil else { return [] }
        if case .signIn = state.screen { return [] }
        var effects: [AppEffect] = []
        if !state.isPollingInbox, state.nextInboxPollAt.map({ now >= $0 }) ?? true {
            state.isPollingInbox = true
            effects.append(.pollInbox)
        }
        return effects + syncTick(now, in: &state)
    }

    static func syncTick(_ now: Date, in state: inout AppState) -> [AppEffect] {
        if state.isSyncing {
            if let started = state.syncStartedAt, now.timeIntervalSince(started) > AutoSync.watchdog {
                state.isSyncing = false
                state.syncStartedAt = nil
                state.message = StatusMessage("Sync timed out; trying again", kind: .error)
            } else {
                if state.syncStartedAt == nil { state.syncStartedAt = now }
                return []
            }
        }
        guard let due = state.nextAutoSyncAt else {
            let offline: Bool
            if case .offline = state.connectivity { offline = true } else { offline = false }
            state.nextAutoSyncAt = now.addingTimeInterval(offline ? state.offlineRetryDelay : state.settings.syncInterval)
            return []
        }
        guard now >= due else { return [] }
        state.nextAutoSyncAt = nil
        state.isSyncing = true
        state.syncStartedAt = now
        if state.schema == nil { return [.refreshSchema] }
        guard let collection = state.list?.collection else {
            state.isSyncing = false
            return []
        }
        return [.sync(collection: collection)]
    }

    /// Reloads the list after a local write and starts a background sync (which pushes it).
    static func afterLocalWrite(collection: String, in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = [.loadCounts]
        if let list = state.list, list.collection == collection {
            effects.insert(reload(list, in: state), at: 0)
        }
        if !state.isSyncing {
            state.isSyncing = true
            effects.append(.sync(collection: collection))
        }
        return effects
    }

    /// `o` sorts by the next list column (id order, then each column, then last change), `O` flips the direction.
    static func changeSort(reverse: Bool, in state: inout AppState) -> [AppEffect] {
        guard let collection = state.currentCollection, var list = state.list else { return [] }
        var sort = state.sorts[collection.name] ?? RecordSort()
        if reverse {
            sort.descending.toggle()
        } else {
            let choices: [String?] = [nil] + collection.listColumns.filter(RecordSort.isSortable).map { $0 }
                + (collection.listColumns.contains(RecordField.updatedAt) ? [] : [RecordField.updatedAt])
            let index = choices.firstIndex(of: sort.field) ?? 0
            sort = RecordSort(field: choices[(index + 1) % choices.count], descending: false)
        }
        state.sorts[collection.name] = sort
        list.selected = 0
        list.scrollTop = 0
        list.windowOffset = 0
        state.list = list
        let label = sort.field ?? "id"
        state.message = StatusMessage("Sorted by \(label), \(sort.descending ? "descending" : "ascending")")
        return [
            .loadRecords(collection: collection.name, offset: 0, limit: RecordListState.windowSize, sort: sort),
            .saveSort(collection: collection.name, sort),
        ]
    }

    /// The load that refreshes the visible list (the filtered matches when filtering).
    static func reload(_ list: RecordListState, in state: AppState) -> AppEffect {
        if let filter = state.filter, !filter.isEmpty { return .searchRecords(collection: list.collection, text: filter) }
        return .loadRecords(collection: list.collection, offset: list.windowOffset, limit: RecordListState.windowSize, sort: state.sorts[list.collection] ?? RecordSort())
    }

    static func handleFilterKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard let collection = state.list?.collection else { return [] }
        var text = state.filter ?? ""
        switch key {
        case .escape:
            state.filter = nil
            state.isEditingFilter = false
            state.list?.selected = 0
            state.list?.scrollTop = 0
            return [.loadRecords(collection: collection, offset: 0, limit: RecordListState.windowSize, sort: state.sorts[collection] ?? RecordSort())]
        case .enter, .down, .up:
            state.isEditingFilter = false
            return []
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .control("u"):
            text = ""
        case .character(let character):
            text.append(character)
        default:
            return []
        }
        state.filter = text
        state.list?.selected = 0
        state.list?.scrollTop = 0
        return [
            text.isEmpty
                ? .loadRecords(collection: collection, offset: 0, limit: RecordListState.windowSize, sort: state.sorts[collection] ?? RecordSort())
                : .searchRecords(collection: collection, text: text)
        ]
    }

    static func handleDetailKey(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect] {
        if let effects = handleAttachmentKey(key, recordId: recordId, in: &state) { return effects }
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            if let row = state.detailReturnsToInbox {
                state.detailReturnsToInbox = nil
                state.screen = .inbox(selected: row)
                return [.loadInbox]
            }
            state.screen = .list
        case .character("e"):
            openEditor(recordId: recordId, in: &state)
        case .character("d"):
            state.screen = .confirmDelete(recordId: recordId)
        default:
            break
        }
        return []
    }

    static func openEditor(recordId: String?, in state: inout AppState) {
        guard let collection = state.currentCollection else { return }
        let record = recordId.flatMap { id in
            state.list?.window.first { $0.id == id } ?? (state.focusedRecord?.id == id ? state.focusedRecord : nil)
        }
        if recordId != nil, record == nil { return }
        state.screen = .edit(EditFormState(collection: collection, record: record))
    }

    static func handleListKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        state.detailReturnsToInbox = nil
        if state.isEditingFilter { return handleFilterKey(key, in: &state) }
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
            if let load { return [.loadRecords(collection: list.collection, offset: load.offset, limit: load.limit, sort: state.sorts[list.collection] ?? RecordSort())] }
            return []
        }
        switch key {
        case .character("q"):
            state.shouldQuit = true
            return []
        case .character("/"):
            state.isEditingFilter = true
            if state.filter == nil { state.filter = "" }
            return []
        case .escape where state.filter != nil:
            return handleFilterKey(.escape, in: &state)
        case .enter, .right, .character("l"):
            if let id = state.list?.selectedRecord?.id { return openDetail(id, in: &state) }
            return []
        case .character("n"):
            openEditor(recordId: nil, in: &state)
            return []
        case .character("e"):
            if let id = state.list?.selectedRecord?.id { openEditor(recordId: id, in: &state) }
            return []
        case .character("d"):
            if let id = state.list?.selectedRecord?.id { state.screen = .confirmDelete(recordId: id) }
            return []
        case .character("c"):
            return [.loadConflicts]
        case .character("o"), .character("O"):
            return changeSort(reverse: key == .character("O"), in: &state)
        case .character("i"):
            state.screen = .inbox(selected: 0)
            return [.loadInbox]
        case .character("A"):
            state.screen = .account
            return [.loadMFA]
        case .character("r"):
            guard let collection = state.list?.collection else { return [] }
            guard !state.isSyncing else {
                state.message = StatusMessage("Already syncing…")
                return []
            }
            state.isSyncing = true
            state.message = nil
            return state.schema == nil ? [.refreshSchema] : [.sync(collection: collection)]
        case .tab, .character("]"), .backTab, .character("["):
            guard let schema = state.schema, !schema.collections.isEmpty else { return [] }
            state.filter = nil
            let names = schema.collections.map(\.name)
            let index = names.firstIndex(of: state.list?.collection ?? "") ?? 0
            let step = (key == .tab || key == .character("]")) ? 1 : names.count - 1
            let name = names[(index + step) % names.count]
            state.list = RecordListState(collection: name)
            state.isSyncing = true
            return [
                .loadRecords(collection: name, offset: 0, limit: RecordListState.windowSize, sort: state.sorts[name] ?? RecordSort()),
                .sync(collection: name),
            ]
        default:
            return []
        }
    }
}
