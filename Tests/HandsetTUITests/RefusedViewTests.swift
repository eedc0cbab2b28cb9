import Foundation
import HandsetApp
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetTUI

/// Issue 11 item 6 on screen: the status bar counts refused writes, the detail says why, the refused screen lists
/// them, and `n` is not offered where the user may not create.
@Suite struct RefusedViewTests {
    static let refusal = Refusal(
        collection: "tasks", recordId: "t1", operation: .replace, reason: "title must be at most 5 characters",
        status: 400)

    static func state() -> AppState {
        var state = AppState(profile: "default", viewportRows: Renderer.listRows(forHeight: 24))
        let schema = APISchema(
            title: "Team",
            collections: [
                CollectionSchema(
                    name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
                    fields: [FieldSchema(name: "title", kind: .text)], creators: .groups(["admins"]))
            ])
        _ = AppCore.update(
            &state,
            .launched(
                user: SignedInUser(sub: "s", username: "bob", email: nil), cachedSchema: schema, lastSyncedAt: nil))
        let record = Record(
            id: "t1", version: 2, updatedAt: "2026-11-27T10:00:00Z", owner: "s", fields: ["title": "Far too long"],
            syncState: .rejected)
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: [record], total: 1)))
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 0, conflicts: 0, refusals: [refusal])))
        return state
    }

    @Test func theListCountsThemAndOffersNoNewRecordToANonMember() {
        let text = Renderer.render(Self.state(), width: 100, height: 24).text
        #expect(text.contains("!1 refused"))
        #expect(text.contains("! refused"))
        #expect(!text.contains("n new"))
    }

    @Test func anEmptyListInvitesANewRecordOnlyWhereTheUserMayCreate() {
        var state = Self.state()
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: [], total: 0)))
        let text = Renderer.render(state, width: 100, height: 24).text
        #expect(text.contains("No tasks yet"))
        #expect(!text.contains("press n"))
        state.user = SignedInUser(sub: "s", username: "bob", email: nil, groups: ["admins"])
        #expect(Renderer.render(state, width: 100, height: 24).text.contains("No tasks yet · press n to add one"))
    }

    @Test func theDetailSaysWhyAndTheRefusedScreenListsThem() {
        var state = Self.state()
        _ = AppCore.update(&state, .key(.enter))
        let detail = Renderer.render(state, width: 100, height: 24).text
        #expect(detail.contains("! refused: title must be at most 5 characters"))
        #expect(detail.contains("x discard"))
        _ = AppCore.update(&state, .key(.escape))
        _ = AppCore.update(&state, .key(.character("!")))
        let screen = Renderer.render(state, width: 100, height: 24).text
        #expect(screen.contains("Refused by the server"))
        #expect(screen.contains("tasks/t1  replace refused"))
        #expect(screen.contains("title must be at most 5 characters"))
    }
}
