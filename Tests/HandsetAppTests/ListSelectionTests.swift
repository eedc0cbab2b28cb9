import Foundation
import HandsetModel
import Testing

@testable import HandsetApp

/// The selection follows the record, not the row number (issue 11 item 5).
@Suite struct ListSelectionTests {
    func record(_ id: String, _ title: String) -> Record {
        Record(id: id, version: 1, updatedAt: "", owner: "sub-a", fields: ["title": .string(title)])
    }

    /// A list of five tasks with "c" selected (third row).
    func listState() -> AppState {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(
            &state, .launched(user: AppCoreTests.alice, cachedSchema: AppCoreTests.schema, lastSyncedAt: nil))
        let records = ["a", "b", "c", "d", "e"].map { record($0, "Task \($0)") }
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records, total: 5)))
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.down))
        return state
    }

    @Test func aSyncThatAddsRecordsAboveKeepsTheSelectionOnItsRecord() {
        var state = listState()
        #expect(state.list?.selectedId == "c")
        let effects = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 2, at: Date())))
        #expect(
            effects.first
                == .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "c"))
        // Another device created two records that sort before c.
        let records = ["0", "1", "a", "b", "c", "d", "e"].map { record($0, "Task \($0)") }
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 0, records: records, total: 7, kept: KeptRecord(id: "c", index: 4))))
        #expect(state.list?.selected == 4)
        #expect(state.list?.selectedRecord?.id == "c")
        // Enter opens, and d y deletes, the record that was selected, not the one now on its old row.
        #expect(AppCore.update(&state, .key(.character("d"))) == [])
        #expect(state.screen == .confirmDelete(recordId: "c"))
    }

    @Test func theSelectionFindsItsRecordInTheLoadedWindowToo() {
        var state = listState()
        let records = ["e", "d", "c", "b", "a"].map { record($0, "Task \($0)") }
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records, total: 5)))
        #expect(state.list?.selectedRecord?.id == "c")
        #expect(state.list?.selected == 2)
        let reversed = ["b", "a", "e", "d", "c"].map { record($0, "Task \($0)") }
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: reversed, total: 5)))
        #expect(state.list?.selected == 4)
    }

    @Test func aNewOrderKeepsTheRecordSelectedOnTheSameScreenRow() {
        var state = listState()
        let effects = AppCore.update(&state, .key(.character("o")))
        #expect(
            effects.first
                == .loadRecords(
                    collection: "tasks", offset: 0, limit: RecordListState.windowSize, sort: RecordSort(field: "title"),
                    keeping: "c"))
        // In a 100k list the record moved far down: the window that holds it comes with its position.
        let window = (0..<400).map { record("w\($0)", "Task \($0)") } + [record("c", "Task c")]
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 49_700, records: window, total: 100_000,
                    kept: KeptRecord(id: "c", index: 50_100))))
        #expect(state.list?.selected == 50_100)
        #expect(state.list?.selectedRecord?.id == "c")
        #expect(state.list?.scrollTop == 50_098, "on the same screen row as before")
    }

    @Test func deletingLeavesTheSelectionOnTheNextRecord() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("d")))
        _ = AppCore.update(&state, .key(.character("y")))
        let effects = AppCore.update(&state, .form(.deleted(collection: "tasks", id: "c")))
        #expect(
            effects.first
                == .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "c"))
        let records = ["a", "b", "d", "e"].map { record($0, "Task \($0)") }
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 0, records: records, total: 4, kept: KeptRecord(id: "c", index: nil))))
        #expect(state.list?.selected == 2)
        #expect(state.list?.selectedRecord?.id == "d")
        #expect(state.list?.selectedId == "d")
    }

    @Test func aFilterKeepsTheRecordIfItMatchesAndClearingItKeepsItToo() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.character("t")))
        let matches = ["b", "c"].map { record($0, "Task \($0)") }
        _ = AppCore.update(&state, .list(.searched(collection: "tasks", text: "t", records: matches)))
        #expect(state.list?.selectedRecord?.id == "c", "the match that was selected stays selected")
        _ = AppCore.update(&state, .key(.enter))
        #expect(AppCore.update(&state, .key(.escape)).first?.description == "loadRecords(tasks, 0, 400)")
        let records = ["a", "b", "c", "d", "e"].map { record($0, "Task \($0)") }
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 0, records: records, total: 5, kept: KeptRecord(id: "c", index: 2))))
        #expect(state.list?.selectedRecord?.id == "c")
    }

    @Test func aRecordJustCreatedIsSelected() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("n")))
        for character in "Brand new" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .key(.control("s")))
        let effects = AppCore.update(&state, .form(.saved(collection: "tasks", id: "new-1")))
        #expect(state.screen == .list)
        #expect(
            effects.first
                == .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "new-1"))
        let records = ["a", "b", "c", "d", "e", "new-1"].map { record($0, "Task \($0)") }
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 0, records: records, total: 6, kept: KeptRecord(id: "new-1", index: 5))
            ))
        #expect(state.list?.selectedRecord?.id == "new-1")
    }
}

@Suite struct FilterRaceTests {
    @Test func searchesAnsweringOutOfOrderShowTheMatchesOfTheFilterAsItReads() {
        var state = ListSelectionTests().listState()
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.paste("task c")))
        let late = ["a", "b", "c"].map { ListSelectionTests().record($0, "Task \($0)") }
        let current = [ListSelectionTests().record("c", "Task c")]
        _ = AppCore.update(&state, .list(.searched(collection: "tasks", text: "task c", records: current)))
        _ = AppCore.update(&state, .list(.searched(collection: "tasks", text: "task", records: late)))
        #expect(state.list?.window.map(\.id) == ["c"], "the late answer for an older text is dropped")
        _ = AppCore.update(
            &state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: late, total: 3)))
        #expect(state.list?.total == 1, "a window of the whole list is stale while filtering")
    }
}

@Suite struct SortOrderTests {
    static let tasks = CollectionSchema(
        name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title", "status"],
        fields: [
            FieldSchema(name: "title", kind: .text),
            FieldSchema(name: "status", kind: .enumeration, enumValues: ["todo", "doing", "done"]),
        ])

    @Test func anEnumerationSortsInItsDeclaredOrderAndAHiddenFieldSaysSo() {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(
            &state,
            .launched(
                user: AppCoreTests.alice, cachedSchema: APISchema(title: "T", collections: [Self.tasks]),
                lastSyncedAt: nil))
        _ = AppCore.update(&state, .key(.character("o")))
        #expect(state.message?.text == "Sorted by Title, ascending")
        let effects = AppCore.update(&state, .key(.character("o")))
        let byStatus = RecordSort(field: "status", valueOrder: ["todo", "doing", "done"])
        #expect(effects.last == .saveSort(collection: "tasks", byStatus), "the declared order goes with the sort")
        _ = AppCore.update(&state, .key(.character("O")))
        #expect(
            state.sort(of: "tasks")
                == RecordSort(field: "status", descending: true, valueOrder: ["todo", "doing", "done"]))
        _ = AppCore.update(&state, .key(.character("o")))
        #expect(state.message?.text == "Sorted by Updated at (not a column), ascending")
    }
}
