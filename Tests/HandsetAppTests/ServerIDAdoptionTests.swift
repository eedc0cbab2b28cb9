import Foundation
import HandsetModel
import Testing

@testable import HandsetApp

/// A record made on this device under a temporary id takes the server's id (issue 14): the screens that name it
/// follow, so the selection, an open record and a form keep working on it.
@Suite struct ServerIDAdoptionTests {
    func record(_ id: String) -> Record {
        Record(id: id, version: 0, updatedAt: "", owner: "sub-a", fields: ["title": .string("Task \(id)")])
    }

    func listState(selecting id: String) -> AppState {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(
            &state, .launched(user: AppCoreTests.alice, cachedSchema: AppCoreTests.schema, lastSyncedAt: nil))
        let records = ["a", id, "c"].map(record)
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records, total: 3)))
        _ = AppCore.update(&state, .key(.down))
        return state
    }

    let change = RecordIDChange(collection: "tasks", temporaryID: "tmp-1", serverID: "42")

    @Test func theSelectionFollowsAndTheReloadKeepsIt() {
        var state = listState(selecting: "tmp-1")
        #expect(state.list?.selectedId == "tmp-1")
        let effects = AppCore.update(
            &state, .sync(.finished(collection: "tasks", count: 1, at: Date(), rekeyed: [change])))
        #expect(state.list?.selectedId == "42")
        #expect(
            effects.first
                == .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize, keeping: "42"))
    }

    @Test func anOpenRecordAndAQuestionAboutItFollow() {
        var state = listState(selecting: "tmp-1")
        state.screen = .detail(recordId: "tmp-1")
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: Date(), rekeyed: [change])))
        #expect(state.screen == .detail(recordId: "42"))
        state.screen = .confirmDelete(recordId: "42")
        let other = RecordIDChange(collection: "tasks", temporaryID: "42", serverID: "43")
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: Date(), rekeyed: [other])))
        #expect(state.screen == .confirmDelete(recordId: "43"))
        // Another collection's record with the same temporary id is someone else.
        state.screen = .detail(recordId: "tmp-9")
        let elsewhere = RecordIDChange(collection: "projects", temporaryID: "tmp-9", serverID: "7")
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: Date(), rekeyed: [elsewhere])))
        #expect(state.screen == .detail(recordId: "tmp-9"))
    }

    @Test func aFormBeingEditedSavesToTheNewID() throws {
        var state = listState(selecting: "tmp-1")
        let schema = try #require(AppCoreTests.schema.collection(named: "tasks"))
        state.screen = .edit(EditFormState(collection: schema, record: record("tmp-1")))
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: Date(), rekeyed: [change])))
        guard case .edit(let form) = state.screen else {
            Issue.record("the form closed")
            return
        }
        #expect(form.recordId == "42")
    }
}
