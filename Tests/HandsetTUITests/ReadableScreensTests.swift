import Foundation
import HandsetApp
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetTUI

/// Screens people can read whole: the detail and notifications scroll (item 9), messages wrap (item 11), one time
/// convention (item 12), values as people know them (item 14).
@Suite struct ReadableScreensTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    func detailState() -> AppState {
        var state = ScreenSnapshotTests.listState()
        state.screen = .detail(recordId: "t1")
        return state
    }

    func rows(_ grid: CellGrid) -> [String] {
        grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func aShortTerminalScrollsTheDetailToEveryField() {
        var state = detailState()
        let grid = Renderer.render(state, width: 100, height: 12, timeZone: Self.paris)
        #expect(!grid.text.contains("Owner"), "at 100x12 the server fields are below the screen")
        let limit = Renderer.scrollLimit(state, width: 100, height: 12, timeZone: Self.paris)
        #expect((limit ?? 0) > 0)
        #expect(grid.text.contains("↑↓ PgUp PgDn"), "it says there is more")
        state.scroll.offset = limit ?? 0
        let bottom = Renderer.render(state, width: 100, height: 12, timeZone: Self.paris)
        #expect(bottom.text.contains("Owner       you"))
        #expect(
            bottom.text.contains("Updated at  2026-11-27 11:00:00 CET")
                || bottom.text.contains("Updated at  2026-11-27 11:00:00 UTC+01:00"), "local time, the zone named")
        #expect(Renderer.scrollLimit(state, width: 100, height: 40, timeZone: Self.paris) == 0, "a tall one fits")
    }

    @Test func theFocusedFieldsHintSaysWhatToTypeAndEndsWithAnEllipsisAtTheEdge() {
        var state = detailState()
        let tasks = CollectionSchema(
            name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
            fields: [
                FieldSchema(name: "observedAt", kind: .dateTime),
                FieldSchema(
                    name: "weather", kind: .list,
                    enumValues: ["sun", "cloud", "rain", "wind", "fog", "snow", "hail", "sleet", "thunder", "haze"]),
            ])
        state.schema = APISchema(title: "T", collections: [tasks])
        var form = EditFormState(collection: tasks, record: nil)
        state.screen = .edit(form)
        let first = rows(Renderer.render(state, width: 80, height: 20))
        #expect(first.contains { $0.hasSuffix("YYYY-MM-DDTHH:MM:SSZ") })
        form.focus = 1
        state.screen = .edit(form)
        let weather = rows(Renderer.render(state, width: 80, height: 20)).first { $0.contains("Weather") } ?? ""
        #expect(weather.hasSuffix("…") && weather.contains("any of sun, cloud"), "cut at the edge, and says so")
        #expect(TextWidth.width(of: weather) == 80)
    }

    @Test func listsShowLocalTimeAndTheStatusBarToo() {
        let tasks = CollectionSchema(
            name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title", "remindAt"],
            fields: [FieldSchema(name: "title", kind: .text), FieldSchema(name: "remindAt", kind: .dateTime)])
        var list = RecordListState(collection: "tasks")
        list.window = [
            Record(
                id: "a", version: 1, updatedAt: "", owner: "s",
                fields: ["title": "Call", "remindAt": "2026-07-01T22:30:00Z"])
        ]
        list.total = 1
        var grid = CellGrid(width: 60, height: 8)
        RecordListView.renderTable(list, collection: tasks, timeZone: Self.paris, into: &grid)
        #expect(grid.text.contains("2026-07-02 00:30"), "UTC 22:30 is half past midnight in Paris in summer")
    }

    @Test func aNotificationInFullKeepsItsLines() {
        var state = ScreenSnapshotTests.listState()
        let body = (1...30).map { "Line \($0) of the notice." }.joined(separator: "\n")
        state.inbox.items = [
            InboxItem(
                id: "n1", title: "Maintenance", body: body, createdAt: "2026-11-27T17:00:00Z", read: true,
                kind: "topic",
                topic: "ops")
        ]
        state.screen = .notification(index: 0)
        let grid = Renderer.render(state, width: 80, height: 24, timeZone: Self.paris)
        #expect(rows(grid).contains { $0.hasPrefix("  Line 1 of the notice.") })
        #expect(rows(grid).contains { $0.hasPrefix("  Line 2 of the notice.") }, "newlines are lines, not ?")
        #expect(!grid.text.contains("?"))
        #expect(
            grid.text.contains("2026-11-27 18:00:00 CET · topic ops")
                || grid.text.contains("2026-11-27 18:00:00 UTC+01:00 · topic ops"))
        let limit = Renderer.scrollLimit(state, width: 80, height: 24, timeZone: Self.paris) ?? 0
        state.scroll.offset = limit
        #expect(
            Renderer.render(state, width: 80, height: 24, timeZone: Self.paris).text.contains("Line 30 of the notice."))
        // The inbox shows the start of it, and how to see the rest.
        state.screen = .inbox(selected: 0)
        let inbox = Renderer.render(state, width: 80, height: 24, timeZone: Self.paris)
        #expect(inbox.text.contains("Line 1 of the notice.") && inbox.text.contains("… Space shows it all"))
    }

    @Test func aLongMessageWrapsAboveTheStatusBarInsteadOfBeingCut() {
        var state = ScreenSnapshotTests.listState()
        let policy =
            "Password does not conform to policy: Password must have at least 12 characters, an uppercase letter, "
            + "a lowercase letter, a number and a symbol"
        state.message = StatusMessage(policy, kind: .error)
        let grid = Renderer.render(state, width: 80, height: 24)
        let text = rows(grid).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains(policy), "every word of it is on screen")
        #expect(rows(grid)[22].contains("● online"), "the status bar keeps its place")
        // A short one stays on the bar.
        state.message = StatusMessage("Saved")
        #expect(rows(Renderer.render(state, width: 80, height: 24))[22].contains("Saved"))
    }

    @Test func valuesReadAsPeopleKnowThem() {
        var state = detailState()
        let key = "tasks/t1/attachment/abc/file-with-spaces--.txt"
        state.list?.window[1].fields["attachment"] = .string(key)
        state.schema = APISchema(
            title: "T",
            collections: [
                CollectionSchema(
                    name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
                    fields: [
                        FieldSchema(name: "title", kind: .text), FieldSchema(name: "attachment", kind: .objectKey),
                        FieldSchema(name: "project", kind: .text, references: "projects"),
                        FieldSchema(name: "flagged", kind: .boolean),
                    ])
            ])
        state.list?.window[1].fields["project"] = "p-1"
        state.list?.window[1].fields["flagged"] = true
        state.list?.window[1].owner = "someone-else"
        state.related["projects/p-1"] = "Website relaunch"
        state.attachments.info[key] = ObjectInfo(
            key: key, size: 1200, contentType: "text/plain", tier: .standard, restore: nil, createdAt: "",
            fileName: "file with spaces ü.txt")
        let text = Renderer.render(state, width: 100, height: 30).text
        #expect(text.contains("Attachment  file with spaces ü.txt · 1.2 KB · text/plain"))
        #expect(text.contains("Project     Website relaunch"))
        #expect(!text.contains("p-1"))
        #expect(text.contains("Flagged     yes"))
        #expect(text.contains("Owner       another user"))
        // Where an owner rule matches another claim (a legacy table's customer id), the record is still "you".
        state.schema?.collections[0].ownerClaims = ["custom:customer_id"]
        state.user?.claims["custom:customer_id"] = "someone-else"
        #expect(Renderer.render(state, width: 100, height: 30).text.contains("Owner       you"))
        // The form shows the same yes/no, and the file by its name, never its key.
        let form = EditFormState(collection: state.schema!.collections[0], record: state.list?.window[1])
        state.screen = .edit(form)
        let formText = Renderer.render(state, width: 100, height: 30).text
        #expect(formText.contains("‹ yes ›"))
        #expect(formText.contains("file with spaces ü.txt") && !formText.contains("tasks/t1/attachment"))
    }

    @Test func aSortByAFieldThatIsNoColumnSaysWhich() {
        var state = ScreenSnapshotTests.listState()
        state.sorts["tasks"] = RecordSort(field: "updatedAt", descending: true)
        let tabs = rows(Renderer.render(state, width: 80, height: 24))[1]
        #expect(tabs.hasSuffix("by Updated at ▼"), "\(tabs)")
        state.sorts["tasks"] = RecordSort(field: "priority")
        let shown = rows(Renderer.render(state, width: 80, height: 24))
        #expect(shown[2].contains("▲") && !shown[1].contains("by Priority"), "a column shows its own arrow")
    }
}
