import Foundation
import HandsetApp
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetTUI

@Suite struct ScreenSnapshotTests {
    static let schema = APISchema(
        title: "Handset demo team app",
        collections: [
            CollectionSchema(
                name: "tasks", typeName: "Task", titleField: "title",
                listColumns: ["title", "status", "priority", "due"],
                fields: [
                    FieldSchema(name: "title", kind: .text, required: true, maxLength: 120),
                    FieldSchema(name: "status", kind: .enumeration, enumValues: ["todo", "doing", "done"]),
                    FieldSchema(name: "priority", kind: .integer),
                    FieldSchema(name: "due", kind: .date),
                ]),
            CollectionSchema(
                name: "projects", typeName: "Project", titleField: "name", listColumns: ["name"],
                fields: [FieldSchema(name: "name", kind: .text)]),
        ])

    /// Later the same day as the last sync, so the status bar shows a time only.
    static let now = Date(timeIntervalSince1970: 1_764_248_400)

    static func listState() -> AppState {
        var state = AppState(profile: "default", viewportRows: Renderer.listRows(forHeight: 24))
        state.user = SignedInUser(sub: "s", username: "alice", email: nil)
        state.screen = .list
        state.schema = schema
        var list = RecordListState(collection: "tasks")
        let rows: [(String, String, Int, String, SyncState)] = [
            ("Draft release notes", "doing", 2, "2026-12-01", .synced),
            ("Review the sync design", "todo", 1, "2026-12-03", .pending),
            ("会議の議事録を書く", "done", 3, "2026-11-20", .synced),
            ("Ship 🚀 the demo to the whole team before the end of the quarter", "todo", 5, "2026-12-24", .conflicted),
        ]
        list.window = rows.enumerated().map { index, row in
            Record(
                id: "t\(index)", version: 1, updatedAt: "2026-11-27T10:00:00.000Z", owner: "s",
                fields: [
                    "title": .string(row.0), "status": .string(row.1), "priority": .number(Double(row.2)),
                    "due": .string(row.3),
                ],
                syncState: row.4)
        }
        list.total = rows.count
        list.selected = 1
        state.list = list
        state.sync.connectivity = .online
        state.sync.lastSyncedAt = Date(timeIntervalSince1970: 1_764_244_800)  // 2025-11-27 12:00:00 UTC
        return state
    }

    @Test func recordList() {
        let grid = Renderer.render(
            Self.listState(), width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: Self.now)
        assertSnapshot(grid, named: "record-list")
    }

    @Test func recordListOffline() {
        var state = Self.listState()
        state.sync.connectivity = .offline("cannot reach 127.0.0.1")
        let grid = Renderer.render(state, width: 60, height: 12, timeZone: TimeZone(identifier: "UTC")!, now: Self.now)
        assertSnapshot(grid, named: "record-list-offline")
    }

    /// The other ways to sign in under the form (the second provider focused), the wait for the browser with the
    /// whole address wrapped, and the device code with its QR code.
    @Test func signInOtherWays() {
        var state = AppState(profile: "default")
        state.signInOptions = [.provider("Google"), .provider("Corp"), .otherDevice]
        var form = SignInState(username: "alice", focus: .password)
        form.optionFocus = 1
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "sign-in-options")

        form.stage = .web(
            provider: "Corp",
            url: "http://127.0.0.1:8900/oauth2/authorize?response_type=code&client_id=cg5che22xq72u3murd9grmbrm3"
                + "&redirect_uri=http://127.0.0.1:53124/callback&state=bPNk9FEEWjXHXK&identity_provider=Corp")
        state.screen = .signIn(form)
        let web = Renderer.render(state, width: 80, height: 24)
        assertSnapshot(web, named: "sign-in-web")
        let joined = web.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.contains("state=bPNk9FEEWjXHXK&identity_provider=Corp"), "the whole address is there")

        form.stage = .device(
            userCode: "BCDF-GHJK", verificationURI: "http://127.0.0.1:8900/device",
            completeURI: "http://127.0.0.1:8900/device?user_code=BCDF-GHJK")
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 100, height: 36), named: "sign-in-device-qr")
        assertSnapshot(Renderer.render(state, width: 60, height: 20), named: "sign-in-device")
    }

    @Test func signIn() {
        var state = AppState(profile: "default")
        state.screen = .signIn(
            SignInState(
                username: "alice", password: "secret", focus: .password, error: "Incorrect username or password."))
        let grid = Renderer.render(state, width: 80, height: 24)
        assertSnapshot(grid, named: "sign-in")
        #expect(!grid.text.contains("secret"), "the password is masked")
    }

    @Test func challengeScreens() {
        var state = AppState(profile: "default")
        var form = SignInState(username: "tina")
        form.show(.mfaCode(method: .email, destination: "e***@example.com"), error: nil)
        form.answer = "1234"
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "sign-in-email-code")
        form.show(
            .totpSetup(
                secret: "JBSWY3DPEHPK3PXP", uri: "otpauth://totp/Handset:tina?secret=JBSWY3DPEHPK3PXP&issuer=Handset"),
            error: "That code did not verify; try the next one")
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "sign-in-totp-setup")
        assertSnapshot(Renderer.render(state, width: 100, height: 30), named: "sign-in-totp-setup-qr")
        form.show(.mfaChoice([.totp, .email]), error: nil)
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "sign-in-mfa-choice")
    }

    @Test func detailAndEdit() {
        var state = Self.listState()
        state.screen = .detail(recordId: "t1")
        state.sync.pendingCount = 1
        let utc = TimeZone(identifier: "UTC")!
        assertSnapshot(Renderer.render(state, width: 80, height: 24, timeZone: utc, now: Self.now), named: "detail")
        let tasks = Self.schema.collections[0]
        var form = EditFormState(collection: tasks, record: state.list?.window[1])
        _ = form.handle(.character("!"), collection: tasks)
        _ = form.handle(.tab, collection: tasks)
        form.errors["due"] = "must be a date (YYYY-MM-DD)"
        state.screen = .edit(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24, timeZone: utc, now: Self.now), named: "edit")
    }

    @Test func conflictSideBySide() {
        var state = Self.listState()
        state.sync.conflictCount = 1
        var screen = ConflictsState(conflicts: [
            Conflict(
                collection: "tasks", recordId: "t3", base: ["title": "Ship", "status": "todo"],
                mine: ["title": "Ship the demo", "status": "todo", "priority": 5],
                theirs: Record(
                    id: "t3", version: 7, updatedAt: "", owner: "s",
                    fields: ["title": "Ship it", "status": "done", "priority": 5]),
                detectedAt: Date(timeIntervalSince1970: 0))
        ])
        _ = screen.handle(.right)
        _ = screen.handle(.down)
        state.screen = .conflicts(screen)
        let grid = Renderer.render(state, width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: Self.now)
        assertSnapshot(grid, named: "conflicts")
    }

    @Test func inbox() {
        var state = Self.listState()
        state.inbox.unreadCount = 1
        state.inbox.items = [
            InboxItem(
                id: "n2", title: "Ana assigned you “Review the sync design”", body: "Due Friday; see the notes.",
                createdAt: "2026-11-27T12:05:00Z", read: false, kind: "record.assigned",
                link: RecordLink(collection: "tasks", id: "t1")),
            InboxItem(
                id: "n1", title: "Maintenance tonight at 22:00", body: "The API is read-only for ten minutes.",
                createdAt: "2026-11-26T18:00:00Z", read: true, kind: "topic", topic: "ops"),
        ]
        state.screen = .inbox(selected: 0)
        let grid = Renderer.render(state, width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: Self.now)
        assertSnapshot(grid, named: "inbox")
    }

    @Test func tinyTerminalSaysSo() {
        let grid = Renderer.render(Self.listState(), width: 20, height: 5)
        #expect(grid.text.hasPrefix("Terminal too small"))
    }
}

@Suite struct CellGridTests {
    @Test func wideCharactersTakeTwoColumnsAndAreNeverSplit() {
        var grid = CellGrid(width: 6, height: 1)
        let used = grid.put("日本語", x: 0, y: 0, role: .normal, maxWidth: 5)
        #expect(used == 5)
        #expect(grid.text == "日本")
        #expect(grid[1, 0].isContinuation)
        #expect(grid[4, 0].text == " ")
    }

    @Test func widths() {
        #expect(TextWidth.width(of: "abc") == 3)
        #expect(TextWidth.width(of: "日本") == 4)
        #expect(TextWidth.width(of: "🚀") == 2)
        #expect(TextWidth.width(of: "e\u{301}") == 1)
        #expect(TextWidth.truncate("Draft release notes", to: 8) == "Draft r…")
        #expect(TextWidth.pad("ab", to: 4) == "ab  ")
    }

    @Test func controlCharactersAreNotSentToTheTerminal() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("a\u{1b}b", x: 0, y: 0, role: .normal)
        #expect(grid.text == "a?b")
    }

    @Test func fieldLabels() {
        #expect(FieldFormatter.label(for: "updatedAt") == "Updated at")
        #expect(FieldFormatter.label(for: "due_date") == "Due date")
        #expect(FieldFormatter.format(.number(3), kind: .integer) == "3")
        #expect(FieldFormatter.format(.string("2026-11-27T12:34:56.000Z"), kind: .dateTime) == "2026-11-27 12:34")
    }
}

@Suite struct HeaderTests {
    /// At 40 columns the API's title ran into the user's name ("Handset demo ttina · default"): the name keeps
    /// its place, the title is cut with an ellipsis, a space between them.
    @Test(arguments: [40, 48, 60, 80])
    func theTitleNeverRunsIntoWhoseDataItIs(width: Int) {
        let grid = Renderer.render(
            ScreenSnapshotTests.listState(), width: width, height: 12, timeZone: TimeZone(identifier: "UTC")!,
            now: ScreenSnapshotTests.now)
        let header = String(grid.text.split(separator: "\n", omittingEmptySubsequences: false)[0])
        #expect(header.hasSuffix(" alice · default"), "\(header)")
        let title = "Handset demo team app"
        if header.contains(title) {
            #expect(header.contains(title + " "))
        } else {
            #expect(header.contains("…"), "\(header)")
        }
    }
}

@Suite struct HelpOverlayTests {
    /// At 100 columns the overlay stayed 60 wide and cut "quit (asks if a form changed or writes …".
    @Test func everyActionIsShownWholeWhenTheTerminalIsWideEnough() throws {
        var state = ScreenSnapshotTests.listState()
        state.help = TextInput()
        let grid = Renderer.render(
            state, width: 120, height: 40, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        let entries = KeyHelp.entries(for: state.screen, bindings: state.settings.keyBindings)
        #expect(entries.count > 10)
        for entry in entries {
            #expect(grid.text.contains(entry.action), "\(entry.action)")
        }
    }

    @Test func aNarrowTerminalCutsTheActionsInsteadOfOverflowing() {
        var state = ScreenSnapshotTests.listState()
        state.help = TextInput()
        let grid = Renderer.render(
            state, width: 50, height: 30, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        #expect(grid.text.contains("…"))
        #expect(grid.text.split(separator: "\n").allSatisfy { TextWidth.width(of: String($0)) <= 50 })
    }
}
