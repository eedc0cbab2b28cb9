import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

/// Issue 11 item 6: writes the server refused are counted, explained and settled in the app; `n` is offered only
/// where the API's rules let the user create.
@Suite struct RefusedWritesTests {
    static let schema = APISchema(
        title: "Team",
        collections: [
            CollectionSchema(
                name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
                fields: [FieldSchema(name: "title", kind: .text, required: true)]),
            CollectionSchema(
                name: "announcements", typeName: "Announcement", titleField: "title", listColumns: ["title"],
                fields: [FieldSchema(name: "title", kind: .text, required: true)], creators: .groups(["admins"])),
        ])
    static let bob = SignedInUser(sub: "sub-b", username: "bob", email: nil)
    static let refusal = Refusal(
        collection: "tasks", recordId: "t1", operation: .replace,
        reason: "Invalid request body: title must be at most 5 characters",
        status: 400)

    static func state(user: SignedInUser = bob) -> AppState {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: user, cachedSchema: schema, lastSyncedAt: nil))
        let record = Record(
            id: "t1", version: 2, updatedAt: "2026-11-27T10:00:00Z", owner: "sub-b", fields: ["title": "Far too long"],
            syncState: .rejected)
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: [record], total: 1)))
        return state
    }

    @Test func refusalsAreCountedOpenedAndDiscarded() {
        var state = Self.state()
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 0, conflicts: 0, refusals: [Self.refusal])))
        #expect(state.sync.refusals == [Self.refusal])
        // `c` with no conflicts opens the refused writes beside them.
        #expect(AppCore.update(&state, .key(.character("c"))).isEmpty)
        #expect(state.screen == .refused(selected: 0))
        #expect(
            AppCore.update(&state, .key(.enter)) == [.openLinkedRecord(RecordLink(collection: "tasks", id: "t1"))])
        #expect(AppCore.update(&state, .key(.character("x"))) == [.discardRefusal(collection: "tasks", id: "t1")])
        let effects = AppCore.update(&state, .sync(.refusalDiscarded(collection: "tasks", id: "t1")))
        #expect(effects.contains(.loadCounts))
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 0, conflicts: 0, refusals: [])))
        #expect(state.screen == .list, "settled: nothing left to show")
        #expect(state.sync.refusals.isEmpty)
    }

    @Test func theDetailOfARefusedRecordDiscardsWithX() {
        var state = Self.state()
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 0, conflicts: 0, refusals: [Self.refusal])))
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.screen == .detail(recordId: "t1"))
        #expect(AppCore.update(&state, .key(.character("x"))) == [.discardRefusal(collection: "tasks", id: "t1")])
        // `e` fixes it: the form opens on the refused version, and saving it sends the fix.
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit = state.screen else {
            Issue.record("e did not open the form: \(state.screen)")
            return
        }
    }

    @Test func newIsOfferedOnlyWhereARuleLetsTheUserCreate() {
        var state = Self.state()
        _ = AppCore.update(&state, .key(.tab))
        #expect(state.list?.collection == "announcements")
        _ = AppCore.update(&state, .key(.character("n")))
        #expect(state.screen == .list, "bob may not create announcements")
        #expect(state.message?.text == "Only members of admins may create announcements")

        var admin = Self.state(user: SignedInUser(sub: "sub-t", username: "tina", email: nil, groups: ["admins"]))
        _ = AppCore.update(&admin, .key(.tab))
        _ = AppCore.update(&admin, .key(.character("n")))
        guard case .edit = admin.screen else {
            Issue.record("an admin gets the form: \(admin.screen)")
            return
        }
    }
}
