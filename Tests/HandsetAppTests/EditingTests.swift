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
        _ = AppCore.update(
            &state,
            .launched(
                user: SignedInUser(sub: "s", username: "a", email: nil), cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(
            &state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: [Self.record], total: 1)))
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
        #expect(
            form.handle(.control("s"), collection: Self.tasks)
                == .save(["title": "Ship it", "status": "doing", "priority": 4]))
    }

    /// A record with a SET column's labels and a number past Int.max: the form shows both as people write them,
    /// saves them back unchanged, and takes a list typed as words.
    @Test func listsAndLargeNumbersRoundTripThroughTheForm() {
        let tickets = CollectionSchema(
            name: "tickets", typeName: "Ticket", titleField: "subject", listColumns: ["subject"],
            fields: [
                FieldSchema(name: "subject", kind: .text, required: true),
                FieldSchema(
                    name: "labels", kind: .list, enumValues: ["bug", "billing", "urgent"],
                    rules: PropertyRules(
                        kind: .array, itemEnumValues: ["bug", "billing", "urgent"], uniqueItems: true)),
                FieldSchema(name: "budget", kind: .number),
            ])
        let record = Record(
            id: "1", version: 1, updatedAt: "", owner: "1",
            fields: ["subject": "Printer on fire", "labels": ["bug", "urgent"], "budget": .number(1e20)])
        var form = EditFormState(collection: tickets, record: record)
        #expect(form.values["labels"] == "bug, urgent")
        #expect(form.values["budget"] == "1e+20")
        #expect(
            form.handle(.control("s"), collection: tickets)
                == .save(["subject": "Printer on fire", "labels": ["bug", "urgent"], "budget": .number(1e20)]),
            "saved as it came: an array and a number, not text")
        form.isSaving = false
        _ = form.handle(.tab, collection: tickets)
        for character in ", billing" { _ = form.handle(.character(character), collection: tickets) }
        #expect(
            form.handle(.control("s"), collection: tickets)
                == .save([
                    "subject": "Printer on fire", "labels": ["bug", "urgent", "billing"], "budget": .number(1e20),
                ]))
        form.isSaving = false
        for character in ", bug" { _ = form.handle(.character(character), collection: tickets) }
        #expect(form.handle(.control("s"), collection: tickets) == .none)
        #expect(form.errors == ["labels": "must not repeat a value"])
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
        #expect(
            effects == [
                .saveRecord(
                    collection: "tasks", id: "t1", fields: ["title": "Draft v2", "status": "todo", "priority": 2])
            ])
        let after = AppCore.update(&state, .form(.saved(collection: "tasks", id: "t1")))
        #expect(state.screen == .detail(recordId: "t1"))
        #expect(
            after == [
                .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "t1"),
                .loadCounts, .sync(collection: "tasks"),
            ])
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
        #expect(state.list?.isEditingFilter == true)
        #expect(type("dr", &state).last == .searchRecords(collection: "tasks", text: "dr"))
        #expect(state.list?.filter == "dr")
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.list?.isEditingFilter == false)
        #expect(state.list?.filter == "dr", "the filter stays while browsing the matches")
        let cleared = AppCore.update(&state, .key(.escape))
        #expect(state.list?.filter == nil)
        #expect(
            cleared == [.loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "t1")],
            "the whole list again, the selection kept on its record")
    }
}
