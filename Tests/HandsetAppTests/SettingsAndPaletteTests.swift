import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct SettingsTests {
    @Test func everySettingParses() throws {
        let (settings, warnings) = try Settings.parse(
            """
            theme = "light"
            [ui]
            mouse = false
            [sync]
            interval = 90
            [network]
            timeout = 12.5
            [api]
            authorization = "access"
            sign_in = "password"
            [notifications]
            bell = true
            desktop = true
            [conflicts]
            default = "merge"
            announcements = "server-wins"
            [keys]
            sync = ["ctrl-r", "F"]
            inbox = "space"
            """)
        #expect(warnings.isEmpty)
        #expect(settings.theme == "light")
        #expect(settings.mouse == false)
        #expect(settings.syncInterval == 90)
        #expect(settings.requestTimeout == 12.5)
        #expect(settings.authorizationToken == .access)
        #expect(settings.signInFlow == .password)
        #expect(settings.bell && settings.desktopNotifications)
        #expect(settings.conflictPolicy(for: "announcements") == .serverWins)
        #expect(settings.conflictPolicy(for: "tasks") == .merge)
        #expect(settings.keyBindings.translate(.control("r")) == .character("r"))
        #expect(settings.keyBindings.translate(.character("F")) == .character("r"))
        #expect(settings.keyBindings.translate(.character(" ")) == .character("i"))
        #expect(settings.keyBindings.translate(.character("x")) == .character("x"))
    }

    @Test func anEmptyFileMeansTheDefaults() throws {
        let (settings, warnings) = try Settings.parse("")
        #expect(settings == Settings())
        #expect(warnings.isEmpty)
        #expect(settings.conflictPolicy(for: "tasks") == .ask)
        #expect(settings.syncInterval == AutoSync.interval)
    }

    @Test func typosWarnAndBadValuesFailNamingTheKey() throws {
        let (_, warnings) = try Settings.parse("thme = \"dark\"\n[sync]\nintervall = 10\n[keys]\nsnyc = \"x\"")
        #expect(warnings.contains("thme: unknown setting, ignored"))
        #expect(warnings.contains("sync.intervall: unknown setting, ignored"))
        #expect(warnings.contains { $0.hasPrefix("keys.snyc: no such action") })

        func problem(_ text: String) -> String {
            do {
                _ = try Settings.parse(text)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("[sync]\ninterval = \"soon\"") == "sync.interval must be a number")
        #expect(problem("[sync]\ninterval = 1") == "sync.interval must be at least 5 seconds")
        #expect(problem("[conflicts]\ntasks = \"newest\"").contains("conflicts.tasks is one of ask, server-wins"))
        #expect(problem("[api]\nauthorization = \"both\"").contains("api.authorization"))
        #expect(problem("[keys]\nsync = \"ctrl-\"").contains("keys.sync: \"ctrl-\" is not a key name"))
        #expect(problem("[notifications]\nbell = \"yes\"") == "notifications.bell must be true or false")
        #expect(problem("sync = 3") == "sync must be a table ([sync])")
        #expect(problem("[sync\n").hasPrefix("line 1"))
    }

    @Test func keyNames() {
        #expect(Key(spec: "x") == .character("x"))
        #expect(Key(spec: "Ctrl-R") == .control("r"))
        #expect(Key(spec: "c-k") == .control("k"))
        #expect(Key(spec: "PgDn") == .pageDown)
        #expect(Key(spec: "space") == .character(" "))
        #expect(Key(spec: "esc") == .escape)
        #expect(Key(spec: "ctrl-1") == nil)
        #expect(Key(spec: "hyper-x") == nil)
        #expect(Key.control("r").displayName == "Ctrl-R")
    }
}

@Suite struct KeysPaletteMouseTests {
    static let schema = AppCoreTests.schema

    func listState(records count: Int = 50) -> AppState {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(&state, .launched(user: AppCoreTests.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        let records = (0..<count).map {
            Record(id: "t\($0)", version: 1, updatedAt: "", owner: "sub-a", fields: ["title": .string("Task \($0)")])
        }
        _ = AppCore.update(
            &state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records, total: count)))
        state.themeNames = ["dark", "light", "monochrome"]
        return state
    }

    @Test func addedKeysDoTheirActionOutsideTextAndTypeInsideIt() throws {
        var state = listState()
        state.settings = try Settings.parse("[keys]\nsync = \"x\"\ndown = \"ctrl-n\"").0
        #expect(AppCore.update(&state, .key(.character("x"))) == [.sync(collection: "tasks")])
        _ = AppCore.update(&state, .key(.control("n")))
        #expect(state.list?.selected == 1)
        // In the filter, x is a letter.
        _ = AppCore.update(&state, .key(.character("/")))
        _ = AppCore.update(&state, .key(.character("x")))
        #expect(state.list?.filter == "x")
        // Help lists the added keys.
        #expect(
            KeyHelp.entries(for: .list, bindings: state.settings.keyBindings).contains {
                $0.key == "x" && $0.action.hasPrefix("sync")
            })
    }

    /// Issue 11 item 16: inside a form the palette offers what the form does, never list commands that would
    /// leave it and lose the edit.
    @Test func thePaletteInsideAFormOffersOnlyFormCommands() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit = state.screen else {
            Issue.record("no form")
            return
        }
        _ = AppCore.update(&state, .key(.control("p")))
        let titles = Palette.commands(for: state).map(\.title)
        #expect(titles.contains("Save") && titles.contains("Cancel the edit"))
        #expect(!titles.contains("Sync now") && !titles.contains("Go to projects") && !titles.contains("Inbox"))
        for character in "save" { _ = AppCore.update(&state, .key(.character(character))) }
        let effects = AppCore.update(&state, .key(.enter))
        #expect(effects.contains { if case .saveRecord = $0 { return true } else { return false } })
    }

    @Test func thePaletteFindsAndRunsCommands() {
        var state = listState()
        #expect(AppCore.update(&state, .key(.character(":"))).isEmpty)
        #expect(state.palette == PaletteState())
        for character in "proj" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(Palette.matches("proj", in: Palette.commands(for: state)).first?.title == "Go to projects")
        let effects = AppCore.update(&state, .key(.enter))
        #expect(state.palette == nil)
        #expect(state.list?.collection == "projects")
        #expect(effects.contains(.loadRecords(collection: "projects", offset: 0, limit: RecordListState.windowSize)))

        // Ctrl-P works too, from another screen; Esc closes without doing anything.
        state.screen = .account
        _ = AppCore.update(&state, .key(.control("p")))
        #expect(state.palette != nil)
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.palette == nil && state.screen == .account)

        // A theme from the palette.
        _ = AppCore.update(&state, .key(.control("p")))
        for character in "theme mono" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.themeName == "monochrome")

        // Sync from the palette goes back to the list and syncs.
        _ = AppCore.update(&state, .sync(.finished(collection: "projects", count: 0, at: Date())))
        _ = AppCore.update(&state, .key(.character(":")))
        for character in "sync" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(AppCore.update(&state, .key(.enter)) == [.sync(collection: "projects")])
        #expect(state.screen == .list)
    }

    @Test func thePaletteNeverOpensOnTheSignInScreenOrInsideText() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        _ = AppCore.update(&state, .key(.character(":")))
        _ = AppCore.update(&state, .key(.control("p")))
        #expect(state.palette == nil)
        guard case .signIn(let form) = state.screen else { Issue.record("not on sign-in"); return }
        #expect(form.username == ":")
    }

    @Test func fuzzyMatchingPrefersWordStarts() {
        let commands = [
            PaletteCommand("Mark all notifications read", .markAllRead),
            PaletteCommand("Inbox", .listKey(.character("i"))),
        ]
        #expect(Palette.matches("in", in: commands).map(\.title) == ["Inbox", "Mark all notifications read"])
        #expect(Palette.matches("zz", in: commands).isEmpty)
        #expect(Palette.matches("", in: commands).count == 2)
    }

    @Test func clicksSelectAndOpenTheWheelScrollsTabsSwitch() {
        var state = listState()
        _ = AppCore.update(&state, .mouse(.listRow(4), .click))
        #expect(state.list?.selected == 4)
        #expect(state.screen == .list)
        _ = AppCore.update(&state, .mouse(.listRow(4), .click))
        #expect(state.screen == .detail(recordId: "t4"), "a click on the selected row opens it")
        state.screen = .list
        _ = AppCore.update(&state, .mouse(.listRow(7), .doubleClick))
        #expect(state.screen == .detail(recordId: "t7"))
        state.screen = .list
        _ = AppCore.update(&state, .mouse(nil, .wheelDown))
        #expect(state.list?.selected == 10)
        _ = AppCore.update(&state, .mouse(nil, .wheelUp))
        #expect(state.list?.selected == 7)
        _ = AppCore.update(&state, .mouse(.listRow(999), .click))
        #expect(state.list?.selected == 7, "a click past the end does nothing")
        let effects = AppCore.update(&state, .mouse(.tab("projects"), .click))
        #expect(state.list?.collection == "projects")
        #expect(effects.contains(.loadRecords(collection: "projects", offset: 0, limit: RecordListState.windowSize)))
    }

    @Test func inboxClicks() {
        var state = listState()
        let items = (0..<3).map {
            InboxItem(
                id: "n\($0)", title: "N\($0)", body: "", createdAt: "", read: false, kind: "direct",
                link: RecordLink(collection: "tasks", id: "t\($0)"))
        }
        _ = AppCore.update(&state, .key(.character("i")))
        _ = AppCore.update(&state, .inbox(.loaded(items, unread: 3)))
        _ = AppCore.update(&state, .mouse(.inboxRow(2), .click))
        #expect(state.screen == .inbox(selected: 2))
        let effects = AppCore.update(&state, .mouse(.inboxRow(2), .click))
        #expect(effects == [.markRead("n2"), .openLinkedRecord(RecordLink(collection: "tasks", id: "t2"))])
    }

    @Test func aNewNotificationAlertsOnlyWhenTheSettingsAskForIt() {
        var state = listState()
        let item = InboxItem(id: "n1", title: "Hello", body: "World", createdAt: "", read: false, kind: "direct")
        #expect(AppCore.update(&state, .inbox(.polled(new: [item], unread: 1))).isEmpty)
        state.settings.desktopNotifications = true
        #expect(
            AppCore.update(&state, .inbox(.polled(new: [item], unread: 1))) == [.alert(title: "Hello", body: "World")])
        state.settings.desktopNotifications = false
        state.settings.bell = true
        #expect(AppCore.update(&state, .inbox(.polled(new: [], unread: 1))).isEmpty, "nothing new, no bell")
    }

    @Test func theSyncIntervalComesFromTheSettings() {
        var state = listState()
        state.settings.syncInterval = 120
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: date)))
        #expect(state.sync.schedule.nextSyncAt == date.addingTimeInterval(120))
    }

    @Test func themeCyclesOnTheAccountScreen() {
        var state = listState()
        state.screen = .account
        _ = AppCore.update(&state, .key(.character("t")))
        #expect(state.themeName == "light")
        _ = AppCore.update(&state, .key(.character("T")))
        _ = AppCore.update(&state, .key(.character("T")))
        #expect(state.themeName == "monochrome")
    }

    @Test func ctrlXCtrlEHandsATextFieldToTheEditorAndTakesItsTextBack() {
        var state = listState()
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit = state.screen else { Issue.record("no form"); return }
        // Ctrl-E alone is the end of the line, as in readline; Ctrl-X Ctrl-E is the editor, as in bash.
        #expect(AppCore.update(&state, .key(.control("e"))) == [])
        #expect(AppCore.update(&state, .key(.control("x"))) == [])
        #expect(AppCore.update(&state, .key(.control("e"))) == [.editExternally(field: "title", text: "Task 0")])
        _ = AppCore.update(
            &state,
            .form(.externalEditFinished(field: "title", text: "Task zero\nrenamed\n", message: "Text from the editor")))
        guard case .edit(let form) = state.screen else { Issue.record("form closed"); return }
        #expect(form.values["title"] == "Task zero renamed", "a one-line field keeps one line")
        #expect(form.isDirty)
        _ = AppCore.update(
            &state,
            .form(.externalEditFinished(field: "title", text: nil, message: "The editor (vi) exited with status 1")))
        guard case .edit(let after) = state.screen else { Issue.record("form closed"); return }
        #expect(after.values["title"] == "Task zero renamed")
        #expect(state.message?.kind == .error)
    }
}

@Suite struct SmallComfortsTests {
    func listState() -> AppState { KeysPaletteMouseTests().listState() }

    @Test func infoMessagesFadeErrorsStayAMinute() {
        var state = listState()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        state.message = StatusMessage("Saved; it syncs in the background")
        _ = AppCore.update(&state, .tick(start))
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(AutoSync.messageLifetime - 1)))
        #expect(state.message != nil)
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(AutoSync.messageLifetime)))
        #expect(state.message == nil)
        state.message = StatusMessage("Could not save", kind: .error)
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(100)))
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(100 + AutoSync.errorLifetime - 1)))
        #expect(state.message?.text == "Could not save", "errors stay long enough to be read")
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(100 + AutoSync.errorLifetime)))
        #expect(state.message == nil, "then go")
    }

    @Test func syncKeyWhileSyncingSaysSo() {
        var state = listState()
        _ = state.sync.schedule.handle(.requested)
        #expect(AppCore.update(&state, .key(.character("r"))).isEmpty)
        #expect(state.message?.text == "Already syncing…")
    }

    @Test func escapeFromARecordOpenedInTheInboxGoesBackThere() {
        var state = listState()
        let item = InboxItem(
            id: "n1", title: "N", body: "", createdAt: "", read: true, kind: "direct",
            link: RecordLink(collection: "tasks", id: "t3"))
        _ = AppCore.update(&state, .key(.character("i")))
        _ = AppCore.update(&state, .inbox(.loaded([item], unread: 0)))
        #expect(AppCore.update(&state, .key(.enter)) == [.openLinkedRecord(RecordLink(collection: "tasks", id: "t3"))])
        _ = AppCore.update(&state, .inbox(.linkedRecordLoaded(collection: "tasks", record: state.list?.window[3])))
        #expect(state.screen == .detail(recordId: "t3"))
        #expect(AppCore.update(&state, .key(.escape)) == [.loadInbox])
        #expect(state.screen == .inbox(selected: 0))
        // From the list, Esc goes back to the list as before.
        state.screen = .list
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.screen == .list)
    }

    @Test func aNewFormWithOnlyDefaultsIsNotAChange() {
        let collection = CollectionSchema(
            name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
            fields: [
                FieldSchema(name: "title", kind: .text, required: true),
                FieldSchema(name: "status", kind: .enumeration, required: true, enumValues: ["todo", "done"]),
            ])
        var form = EditFormState(collection: collection, record: nil)
        #expect(form.values["status"] == "todo")
        #expect(!form.isDirty)
        #expect(form.handle(.escape, collection: collection) == .close, "nothing to discard")
    }

    @Test func aSuccessfulSyncEndsTheInboxBackoff() {
        var state = listState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        // Polls fail while the cloud is away: the next one waits longer each time.
        var clock = now.addingTimeInterval(-100)
        for _ in 0..<6 {
            _ = AppCore.update(&state, .tick(clock))
            _ = AppCore.update(&state, .inbox(.pollFailed(offline: true)))
            clock = state.inbox.poll.nextPollAt ?? clock
        }
        #expect(state.inbox.poll.retryDelay == AutoSync.maximumOfflineRetry)
        #expect(state.inbox.poll.nextPollAt.map { $0 > now } == true)
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: now)))
        #expect(state.inbox.poll.retryDelay == AutoSync.firstOfflineRetry)
        #expect(state.inbox.poll.nextPollAt == now)
    }
}

@Suite struct SortKeyTests {
    @Test func oCyclesTheColumnsAndOFlipsTheDirection() {
        var state = KeysPaletteMouseTests().listState()
        _ = AppCore.update(&state, .key(.character("j")))
        let effects = AppCore.update(&state, .key(.character("o")))
        let byTitle = RecordSort(field: "title")
        #expect(
            effects == [
                .loadRecords(
                    collection: "tasks", offset: 0, limit: RecordListState.windowSize, sort: byTitle, keeping: "t1"),
                .saveSort(collection: "tasks", byTitle),
            ])
        #expect(state.list?.selectedId == "t1", "the new order keeps the selection on its record")
        _ = AppCore.update(&state, .key(.character("O")))
        #expect(state.sorts["tasks"] == RecordSort(field: "title", descending: true))
        _ = AppCore.update(&state, .key(.character("o")))
        #expect(state.sorts["tasks"] == RecordSort(field: "updatedAt"))
        _ = AppCore.update(&state, .key(.character("o")))
        #expect(state.sorts["tasks"] == RecordSort())
        // Later loads of the list keep the order: in a collection longer than its window, G loads the last one.
        state.sorts["tasks"] = byTitle
        let window = state.list?.window ?? []
        _ = AppCore.update(
            &state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: window, total: 5_000)))
        let scroll = AppCore.update(&state, .key(.character("G")))
        let sorts = scroll.compactMap { effect -> RecordSort? in
            guard case .loadRecords(_, _, _, let sort, _) = effect else { return nil }
            return sort
        }
        #expect(!sorts.isEmpty, "G in a long list loads its last window")
        #expect(sorts.allSatisfy { $0 == byTitle })
    }

    /// After one person signs out and another signs in, the list is in the order the second keeps, from the start.
    @Test func theNextUserFindsTheirOwnSavedOrder() {
        var state = AppState()
        _ = AppCore.update(
            &state, .launched(user: AppCoreTests.alice, cachedSchema: AppCoreTests.schema, lastSyncedAt: nil))
        state.sorts["tasks"] = RecordSort(field: "title", descending: true)
        _ = AppCore.update(&state, .account(.signedOut(message: "Signed out")))
        #expect(state.sorts.isEmpty, "the first user's order goes with them")
        _ = AppCore.update(&state, .signIn(.succeeded(SignedInUser(sub: "sub-b", username: "bob", email: nil))))
        let bobs = RecordSort(field: "updatedAt")
        let effects = AppCore.update(&state, .list(.schemaLoaded(AppCoreTests.schema, sorts: ["tasks": bobs])))
        #expect(state.sorts["tasks"] == bobs)
        let loads = effects.compactMap { effect -> RecordSort? in
            guard case .loadRecords(_, _, _, let sort, _) = effect else { return nil }
            return sort
        }
        #expect(loads == [bobs], "the first window is read in the second user's order")
    }

    /// A schema refresh answered after an `o` does not put the order back to the one saved before it.
    @Test func aLaterSchemaKeepsTheOrderChangedThisSession() {
        var state = KeysPaletteMouseTests().listState()
        _ = AppCore.update(&state, .key(.character("o")))
        let changed = state.sorts["tasks"]
        #expect(changed == RecordSort(field: "title"))
        _ = AppCore.update(&state, .list(.schemaLoaded(AppCoreTests.schema, sorts: ["tasks": RecordSort()])))
        #expect(state.sorts["tasks"] == changed)
    }
}
