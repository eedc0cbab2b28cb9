import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

/// Scrolling the detail and notifications (item 9), the message log (item 11), relations by title (item 14).
@Suite struct ScrollAndMessagesTests {
    func listState() -> AppState { KeysPaletteMouseTests().listState() }

    @Test func theDetailScrollsUpToTheMeasuredLimitAndAnotherRecordStartsAtTheTop() {
        var state = listState()
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .measured(scrollLimit: 5))
        for _ in 0..<3 { _ = AppCore.update(&state, .key(.character("j"))) }
        #expect(state.scroll.offset == 3)
        _ = AppCore.update(&state, .key(.pageDown))
        #expect(state.scroll.offset == 5, "no further than the last line")
        _ = AppCore.update(&state, .key(.up))
        #expect(state.scroll.offset == 4, "one key back up, however far it was pushed")
        _ = AppCore.update(&state, .key(.character("g")))
        #expect(state.scroll.offset == 0)
        _ = AppCore.update(&state, .key(.character("G")))
        #expect(state.scroll.offset == 5)
        _ = AppCore.update(&state, .measured(scrollLimit: 2))
        #expect(state.scroll.offset == 2, "a bigger terminal needs less scrolling")
        _ = AppCore.update(&state, .key(.escape))
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.scroll.offset == 0 && state.scroll.limit == nil)
    }

    @Test func aNotificationShowsInFullAndComesBackToItsRow() {
        var state = listState()
        let items = [
            InboxItem(
                id: "n1", title: "Linked", body: "one", createdAt: "", read: true, kind: "direct",
                link: RecordLink(collection: "tasks", id: "t1")),
            InboxItem(id: "n2", title: "Plain", body: "line one\nline two", createdAt: "", read: false, kind: "topic"),
        ]
        _ = AppCore.update(&state, .key(.character("i")))
        _ = AppCore.update(&state, .inbox(.loaded(items, unread: 1)))
        _ = AppCore.update(&state, .key(.down))
        #expect(AppCore.update(&state, .key(.enter)) == [.markRead("n2")], "no link: Enter shows it in full")
        #expect(state.screen == .notification(index: 1))
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.screen == .inbox(selected: 1))
        _ = AppCore.update(&state, .key(.up))
        #expect(AppCore.update(&state, .key(.character(" "))) == [], "Space: in full, even with a link")
        #expect(state.screen == .notification(index: 0))
        #expect(AppCore.update(&state, .key(.enter)) == [.openLinkedRecord(RecordLink(collection: "tasks", id: "t1"))])
    }

    @Test func theMessageLogKeepsEveryMessageAndOpensAtTheNewest() {
        var state = listState()
        _ = AppCore.update(&state, .tick(Date(timeIntervalSince1970: 1_800_000_000)))
        _ = AppCore.update(&state, .key(.character("o")))
        _ = AppCore.update(&state, .sync(.failed(message: "The server said no", offline: false)))
        #expect(state.messages.entries.map(\.message.text) == ["Sorted by Title, ascending", "The server said no"])
        #expect(state.messages.entries.last?.message.kind == .error)
        #expect(state.messages.entries.first?.at == Date(timeIntervalSince1970: 1_800_000_000))
        _ = AppCore.update(&state, .key(.character("M")))
        #expect(state.isShowingMessages)
        _ = AppCore.update(&state, .measured(scrollLimit: 7))
        #expect(state.scroll.offset == 7, "the newest at the bottom")
        _ = AppCore.update(&state, .key(.character("k")))
        #expect(state.scroll.offset == 6)
        _ = AppCore.update(&state, .key(.escape))
        #expect(!state.isShowingMessages && state.screen == .list)
        // In a text input, M is a letter.
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.character("M")))
        #expect(!state.isShowingMessages && state.list?.filter == "M")
    }

    @Test func aRelationAsksForTheRelatedRecordsTitle() {
        let tasks = CollectionSchema(
            name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
            fields: [
                FieldSchema(name: "title", kind: .text),
                FieldSchema(name: "project", kind: .text, references: "projects"),
            ])
        let projects = CollectionSchema(
            name: "projects", typeName: "Project", titleField: "name", listColumns: ["name"],
            fields: [FieldSchema(name: "name", kind: .text)])
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(
            &state,
            .launched(
                user: AppCoreTests.alice, cachedSchema: APISchema(title: "T", collections: [tasks, projects]),
                lastSyncedAt: nil))
        let record = Record(id: "t1", version: 1, updatedAt: "", owner: "s", fields: ["title": "A", "project": "p-1"])
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: [record], total: 1)))
        #expect(
            AppCore.update(&state, .key(.enter))
                == [
                    .loadRelatedTitles(
                        [RecordLink(collection: "projects", id: "p-1")], titleFields: ["projects": "name"])
                ])
        _ = AppCore.update(&state, .list(.relatedLoaded(["projects/p-1": "Website relaunch"])))
        #expect(state.related["projects/p-1"] == "Website relaunch")
    }
}
