import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct EditingTests {
    static let tasks = CollectionSchema(
        name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title", "status"],
        fields: [
            FieldSchema(name: "title", kind: .text, required: true, maxLength: 20),
            FieldSchema(name: "status", kind: .enumeration, required: true, enumValues: ["todo", "doing", "done"]),
            FieldSchema(name: "priority", kind: .integer, minimum: 1, maximum: 5),
            FieldSchema(name: "id", kind: .text, readOnly: true),
        ])
    static let schema = APISchema(title: "T", collections: [tasks])
    static let record = Record(
        id: "t1", version: 2, updatedAt: "", owner: "s", fields: ["title": "Draft", "status": "todo", "priority": 2])

    func listState() -> AppState {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(&state, .launched(user: SignedInUser(sub: "s", username: "a", email: nil), cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .recordsLoaded(collection: "tasks", offset: 0, records: [Self.record], total: 1))
        return state
    }

    func type(_ text: String, _ state: inout AppState) -> [AppEffect] {
        text.flatMap { AppCore.update(&state, .key(.character($0))) }
    }

    @Test func theFormIsBuiltFromTheSchemaAndValidatesBeforeSaving() {
        var form = EditFormState(collection: Self.tasks, record: nil)
        #expect(form.fields.map(\.name) == ["title", "status", "priority"], "read-only fields are not editable")
        #expect(form.values["status"] == "todo", "a required enum starts at its first value")
        #expect(form.handle(.control("s"), collection: Self.tasks) == .none)
        #expect(form.errors == ["title": "is required"])
        for character in "Ship it" { _ = form.handle(.character(character), collection: Self.tasks) }
        #expect(form.errors.isEmpty, "typing clears the field's error")
        _ = form.handle(.tab, collection: Self.tasks)
        _ = form.handle(.right, collection: Self.tasks)
        #expect(form.values["status"] == "doing")
        _ = form.handle(.character("d"), collection: Self.tasks)
        #expect(form.values["status"] == "doing", "typing a letter picks the first value starting with it")
        _ = form.handle(.tab, collection: Self.tasks)
        for character in "9" { _ = form.handle(.character(character), collection: Self.tasks) }
        #expect(form.handle(.control("s"), collection: Self.tasks) == .none)
        #expect(form.errors == ["priority": "must be at most 5"])
        _ = form.handle(.backspace, collection: Self.tasks)
        _ = form.handle(.character("4"), collection: Self.tasks)
        #expect(form.handle(.control("s"), collection: Self.tasks) == .save(["title": "Ship it", "status": "doing", "priority": 4]))
    }

    @Test func leavingAChangedFormAsksFirst() {
        var form = EditFormState(collection: Self.tasks, record: Self.record)
        #expect(form.handle(.escape, collection: Self.tasks) == .close, "nothing changed: leave at once")
        _ = form.handle(.character("!"), collection: Self.tasks)
        #expect(form.handle(.escape, collection: Self.tasks) == .none)
        #expect(form.confirmingDiscard)
        #expect(form.handle(.character("n"), collection: Self.tasks) == .none)
        #expect(!form.confirmingDiscard)
        _ = form.handle(.escape, collection: Self.tasks)
        #expect(form.handle(.character("y"), collection: Self.tasks) == .close)
    }

    @Test func editingFromTheListSavesLocallyThenSyncs() {
        var state = listState()
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.screen == .detail(recordId: "t1"))
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit = state.screen else {
            Issue.record("expected the edit form")
            return
        }
        _ = type(" v2", &state)
        let effects = AppCore.update(&state, .key(.control("s")))
        #expect(effects == [.saveRecord(collection: "tasks", id: "t1", fields: ["title": "Draft v2", "status": "todo", "priority": 2])])
        let after = AppCore.update(&state, .recordSaved(collection: "tasks", id: "t1"))
        #expect(state.screen == .detail(recordId: "t1"))
        #expect(after == [.loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize), .loadCounts, .sync(collection: "tasks")])
    }

    @Test func deletingAsksForConfirmation() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("d")))
        #expect(state.screen == .confirmDelete(recordId: "t1"))
        #expect(AppCore.update(&state, .key(.character("x"))) == [])
        #expect(state.screen == .detail(recordId: "t1"), "any other key keeps the record")
        _ = AppCore.update(&state, .key(.character("d")))
        #expect(AppCore.update(&state, .key(.character("y"))) == [.deleteRecord(collection: "tasks", id: "t1")])
    }

    @Test func filterAsYouTypeSearchesTheCache() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("/")))
        #expect(state.isEditingFilter)
        #expect(type("dr", &state).last == .searchRecords(collection: "tasks", text: "dr"))
        #expect(state.filter == "dr")
        _ = AppCore.update(&state, .key(.enter))
        #expect(!state.isEditingFilter)
        #expect(state.filter == "dr", "the filter stays while browsing the matches")
        let cleared = AppCore.update(&state, .key(.escape))
        #expect(state.filter == nil)
        #expect(cleared == [.loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize)])
    }
}

@Suite struct ConflictsScreenTests {
    static let conflict = Conflict(
        collection: "tasks", recordId: "t1", base: ["title": "Base", "status": "todo"],
        mine: ["title": "Mine", "status": "todo", "priority": 2],
        theirs: Record(id: "t1", version: 5, updatedAt: "", owner: "s", fields: ["title": "Theirs", "status": "done", "priority": 2]),
        detectedAt: Date(timeIntervalSince1970: 0))

    @Test func choosingPerFieldSavesTheMix() {
        var screen = ConflictsState(conflicts: [Self.conflict])
        #expect(screen.fields == ["status", "title", "priority"], "differing fields first")
        _ = screen.handle(.right)  // status: theirs
        #expect(screen.handle(.enter) == .resolve(collection: "tasks", id: "t1", .merged(["title": "Mine", "status": "done", "priority": 2])))
        var untouched = ConflictsState(conflicts: [Self.conflict])
        #expect(untouched.handle(.enter) == .resolve(collection: "tasks", id: "t1", .keepMine))
        #expect(untouched.handle(.character("t")) == .resolve(collection: "tasks", id: "t1", .takeTheirs))
    }

    @Test func theListOpensConflictsAndTheyReloadAfterEachChoice() {
        var state = EditingTests().listState()
        #expect(AppCore.update(&state, .key(.character("c"))) == [.loadConflicts])
        _ = AppCore.update(&state, .conflictsLoaded([Self.conflict]))
        guard case .conflicts = state.screen else {
            Issue.record("expected the conflicts screen")
            return
        }
        #expect(AppCore.update(&state, .key(.character("m"))) == [.resolveConflict(collection: "tasks", id: "t1", .keepMine)])
        let after = AppCore.update(&state, .conflictResolved(collection: "tasks", id: "t1"))
        #expect(after.first == .loadConflicts)
        #expect(after.contains(.sync(collection: "tasks")))
        _ = AppCore.update(&state, .conflictsLoaded([]))
        #expect(state.screen == .list)
    }
}

@Suite struct InboxTests {
    static let item = InboxItem(
        id: "n1", title: "Ana assigned you a task", body: "Review the sync design", createdAt: "2026-11-27T12:00:00Z",
        read: false, kind: "record.assigned", link: RecordLink(collection: "tasks", id: "t9"))

    @Test func pollsContinuouslyAndToastsNewNotifications() {
        var state = EditingTests().listState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(AppCore.update(&state, .tick(now)).contains(.pollInbox))
        #expect(!AppCore.update(&state, .tick(now + 1)).contains(.pollInbox), "one long-poll at a time")
        _ = AppCore.update(&state, .inboxPolled(new: [Self.item], unread: 3))
        #expect(state.unreadCount == 3)
        #expect(state.message?.text == "🔔 Ana assigned you a task")
        #expect(AppCore.update(&state, .tick(now + 2)).contains(.pollInbox), "the next long-poll starts at once")
    }

    @Test func failedPollsBackOff() {
        var state = EditingTests().listState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = AppCore.update(&state, .tick(now))
        _ = AppCore.update(&state, .inboxPollFailed(offline: true))
        #expect(!AppCore.update(&state, .tick(now + 1)).contains(.pollInbox))
        #expect(AppCore.update(&state, .tick(now + 2)).contains(.pollInbox))
        _ = AppCore.update(&state, .inboxPollFailed(offline: true))
        #expect(!AppCore.update(&state, .tick(now + 5)).contains(.pollInbox))
        #expect(AppCore.update(&state, .tick(now + 6)).contains(.pollInbox))
    }

    @Test func openingANotificationMarksItReadAndShowsTheRecord() {
        var state = EditingTests().listState()
        #expect(AppCore.update(&state, .key(.character("i"))) == [.loadInbox])
        _ = AppCore.update(&state, .inboxLoaded([Self.item], unread: 1))
        #expect(AppCore.update(&state, .key(.enter)) == [.markRead("n1"), .openLinkedRecord(RecordLink(collection: "tasks", id: "t9"))])
        let record = Record(id: "t9", version: 1, updatedAt: "", owner: "x", fields: ["title": "Review"])
        _ = AppCore.update(&state, .linkedRecordLoaded(collection: "tasks", record: record))
        #expect(state.screen == .detail(recordId: "t9"))
        #expect(state.focusedRecord == record)
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit(let form) = state.screen else {
            Issue.record("a record opened from a notification can be edited")
            return
        }
        #expect(form.recordId == "t9")
    }
}

@Suite struct HelpAndAccountTests {
    @Test func questionMarkOpensFilterableHelpButTypesInForms() {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("?")))
        #expect(state.help == "")
        _ = AppCore.update(&state, .key(.character("s")))
        _ = AppCore.update(&state, .key(.character("y")))
        #expect(state.help == "sy")
        #expect(KeyHelp.entries(for: state.screen).contains { $0.action.contains("sync") })
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.help == nil)
        _ = AppCore.update(&state, .key(.character("n")))
        _ = AppCore.update(&state, .key(.character("?")))
        #expect(state.help == nil, "in a form, ? is a character")
        guard case .edit(let form) = state.screen else { return }
        #expect(form.values["title"] == "?")
    }

    @Test func signingOutReturnsToSignIn() {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("A")))
        #expect(state.screen == .account)
        #expect(AppCore.update(&state, .key(.character("O"))) == [.signOut(everywhere: true)])
        _ = AppCore.update(&state, .signedOut(message: "Signed out everywhere"))
        #expect(state.user == nil)
        #expect(state.screen == .signIn(SignInState()))
        #expect(AppCore.update(&state, .tick(Date())).isEmpty, "no polling or syncing once signed out")
    }
}
