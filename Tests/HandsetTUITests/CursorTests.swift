import Foundation
import HandsetApp
import HandsetModel
import Testing

@testable import HandsetTUI

/// The terminal's cursor shows where typing goes in the focused text input, and nowhere else.
@Suite struct CursorTests {
    @Test func theFormsCursorFollowsTheFocusedFieldsCursor() {
        var state = ScreenSnapshotTests.listState()
        let tasks = ScreenSnapshotTests.schema.collections[0]
        var form = EditFormState(collection: tasks, record: state.list?.window[0])
        state.screen = .edit(form)
        var grid = Renderer.render(state, width: 80, height: 24)
        let end = grid.cursor
        #expect(end?.y == 4)
        let row = grid.text.split(separator: "\n", omittingEmptySubsequences: false)[4]
        #expect(row.hasPrefix("  Title*     Draft release notes"))
        #expect(end?.x == 13 + "Draft release notes".count, "after the last character")
        for _ in 0..<6 { _ = form.handle(.left, collection: tasks) }
        state.screen = .edit(form)
        grid = Renderer.render(state, width: 80, height: 24)
        #expect(grid.cursor == CellPosition(x: (end?.x ?? 0) - 6, y: 4))
        // A choice has no cursor.
        _ = form.handle(.tab, collection: tasks)
        state.screen = .edit(form)
        #expect(Renderer.render(state, width: 80, height: 24).cursor == nil)
    }

    @Test func aLongValueScrollsToKeepTheCursorInView() {
        let text = String(repeating: "abcdefghij", count: 10)
        var grid = CellGrid(width: 30, height: 1)
        InputView.render(text, cursor: 100, x: 0, y: 0, width: 20, role: .field, focused: true, into: &grid)
        #expect(grid.cursor == CellPosition(x: 19, y: 0))
        #expect(grid.text == String(text.suffix(19)))
        grid = CellGrid(width: 30, height: 1)
        InputView.render(text, cursor: 3, x: 0, y: 0, width: 20, role: .field, focused: true, into: &grid)
        #expect(grid.cursor == CellPosition(x: 3, y: 0))
        #expect(grid.text == String(text.prefix(20)))
        grid = CellGrid(width: 30, height: 1)
        InputView.render("会議の議事録", cursor: 2, x: 1, y: 0, width: 20, role: .field, focused: true, into: &grid)
        #expect(grid.cursor == CellPosition(x: 5, y: 0), "wide characters take two columns")
    }

    @Test func theSignInPasswordIsMaskedWithTheCursorInIt() {
        var state = AppState(profile: "default")
        var form = SignInState(username: "alice", password: "secret", focus: .password)
        _ = form.handle(.left)
        state.screen = .signIn(form)
        let grid = Renderer.render(state, width: 80, height: 24)
        #expect(!grid.text.contains("secret"))
        let row = grid.text.split(separator: "\n", omittingEmptySubsequences: false)[grid.cursor?.y ?? 0]
        #expect(row.contains("Password  ••••••"))
        let dots = row.distance(from: row.startIndex, to: row.firstIndex(of: "•")!)
        #expect(grid.cursor?.x == dots + 5)
    }

    @Test func theFilterPaletteAndHelpShowTheirCursor() {
        var state = ScreenSnapshotTests.listState()
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.paste("plumb")))
        _ = AppCore.update(&state, .key(.left))
        var grid = Renderer.render(state, width: 80, height: 24)
        #expect(grid.cursor?.y == 1)
        let tabs = grid.text.split(separator: "\n", omittingEmptySubsequences: false)[1]
        let slash = tabs.distance(from: tabs.startIndex, to: tabs.firstIndex(of: "/")!)
        #expect(grid.cursor?.x == slash + 5)
        _ = AppCore.update(&state, .key(.enter))
        #expect(Renderer.render(state, width: 80, height: 24).cursor == nil, "no cursor once the filter is done")
        _ = AppCore.update(&state, .key(.character(":")))
        grid = Renderer.render(state, width: 80, height: 24)
        #expect(grid.cursor?.y == 2)
        _ = AppCore.update(&state, .key(.escape))
        _ = AppCore.update(&state, .key(.character("?")))
        #expect(Renderer.render(state, width: 80, height: 24).cursor != nil)
    }
}
