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

    @Test func eachSidesOwnChangesStartPickedAndFieldsBothChangedMustBeChosen() {
        var screen = ConflictsState(conflicts: [Self.conflict])
        #expect(screen.fields == ["status", "title", "priority"], "differing fields first")
        #expect(screen.change(of: "status") == .theirs && screen.choices["status"] == .theirs)
        #expect(screen.change(of: "title") == .both && screen.choices["title"] == nil)
        #expect(screen.change(of: "priority") == .neither)
        // Enter with a field both changed and not chosen: nothing saved, the focus goes to it, and it says why.
        #expect(screen.handle(.enter) == .none)
        #expect(screen.fieldIndex == 1)
        #expect(screen.notice == "Both sides changed Title: ← keeps mine, → takes theirs")
        _ = screen.handle(.left)  // title: mine
        #expect(
            screen.handle(.enter)
                == .resolve(collection: "tasks", id: "t1", .merged(["title": "Mine", "status": "done", "priority": 2])),
            "their status is kept: Enter no longer undoes a field only they changed")
        var untouched = ConflictsState(conflicts: [Self.conflict])
        #expect(untouched.handle(.character("m")) == .resolve(collection: "tasks", id: "t1", .keepMine))
        #expect(untouched.handle(.character("t")) == .resolve(collection: "tasks", id: "t1", .takeTheirs))
    }

    @Test func theIssuesExamplePriorityHereStatusThere() {
        // Priority edited on this device, status set to done on the other: the saved mix has both.
        let conflict = Conflict(
            collection: "tasks", recordId: "t2", base: ["title": "Plan", "status": "todo", "priority": 3],
            mine: ["title": "Plan", "status": "todo", "priority": 1],
            theirs: Record(
                id: "t2", version: 4, updatedAt: "", owner: "s",
                fields: ["title": "Plan", "status": "done", "priority": 3]
            ), detectedAt: Date(timeIntervalSince1970: 0))
        var screen = ConflictsState(conflicts: [conflict])
        #expect(screen.unchosen.isEmpty)
        #expect(
            screen.handle(.enter)
                == .resolve(collection: "tasks", id: "t2", .merged(["title": "Plan", "status": "done", "priority": 1])))
        // Flipping a pick works both ways; a field nobody changed has nothing to pick.
        _ = screen.handle(.down)
        _ = screen.handle(.right)
        #expect(screen.choices["status"] == .theirs)
        _ = screen.handle(.down)
        _ = screen.handle(.left)
        #expect(screen.choices["title"] == nil)
    }

    @Test func withoutABaseEveryDifferingFieldIsChosenByThePerson() {
        var conflict = Self.conflict
        conflict.base = nil
        var screen = ConflictsState(conflicts: [conflict])
        #expect(screen.unchosen == ["status", "title"])
        #expect(screen.handle(.enter) == .none)
        _ = screen.handle(.right)
        _ = screen.handle(.down)
        _ = screen.handle(.right)
        #expect(
            screen.handle(.enter)
                == .resolve(
                    collection: "tasks", id: "t1", .merged(["title": "Theirs", "status": "done", "priority": 2])))
    }

    @Test func aDeletionIsSettledAsAWhole() {
        let deleted = Conflict(
            collection: "tasks", recordId: "t3", base: ["title": "x"], mine: nil,
            theirs: Record(id: "t3", version: 2, updatedAt: "", owner: "s", fields: ["title": "y"]),
            detectedAt: Date(timeIntervalSince1970: 0))
        var screen = ConflictsState(conflicts: [deleted])
        #expect(screen.handle(.enter) == .none)
        #expect(screen.notice?.contains("m keeps mine") == true)
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
