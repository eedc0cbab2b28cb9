import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct ConflictsScreenTests {
    static let conflict = Conflict(
        collection: "tasks", recordId: "t1", base: ["title": "Base", "status": "todo"],
        mine: ["title": "Mine", "status": "todo", "priority": 2],
        theirs: Record(
            id: "t1", version: 5, updatedAt: "", owner: "s",
            fields: ["title": "Theirs", "status": "done", "priority": 2]),
        detectedAt: Date(timeIntervalSince1970: 0))

    @Test func choosingPerFieldSavesTheMix() {
        var screen = ConflictsState(conflicts: [Self.conflict])
        #expect(screen.fields == ["status", "title", "priority"], "differing fields first")
        _ = screen.handle(.right)  // status: theirs
        #expect(
            screen.handle(.enter)
                == .resolve(collection: "tasks", id: "t1", .merged(["title": "Mine", "status": "done", "priority": 2])))
        var untouched = ConflictsState(conflicts: [Self.conflict])
        #expect(untouched.handle(.enter) == .resolve(collection: "tasks", id: "t1", .keepMine))
        #expect(untouched.handle(.character("t")) == .resolve(collection: "tasks", id: "t1", .takeTheirs))
    }

    @Test func theListOpensConflictsAndTheyReloadAfterEachChoice() {
        var state = EditingTests().listState()
        #expect(AppCore.update(&state, .key(.character("c"))) == [.loadConflicts])
        _ = AppCore.update(&state, .conflicts(.loaded([Self.conflict])))
        guard case .conflicts = state.screen else {
            Issue.record("expected the conflicts screen")
            return
        }
        #expect(
            AppCore.update(&state, .key(.character("m"))) == [
                .resolveConflict(collection: "tasks", id: "t1", .keepMine)
            ])
        let after = AppCore.update(&state, .conflicts(.resolved(collection: "tasks", id: "t1")))
        #expect(after.first == .loadConflicts)
        #expect(after.contains(.sync(collection: "tasks")))
        _ = AppCore.update(&state, .conflicts(.loaded([])))
        #expect(state.screen == .list)
    }
}
