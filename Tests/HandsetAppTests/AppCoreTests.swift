import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct AppCoreTests {
    static let schema = APISchema(
        title: "Team",
        collections: [
            CollectionSchema(
                name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
                fields: [FieldSchema(name: "title", kind: .text, required: true)]),
            CollectionSchema(
                name: "projects", typeName: "Project", titleField: "name", listColumns: ["name"],
                fields: [FieldSchema(name: "name", kind: .text)]),
        ])
    static let alice = SignedInUser(sub: "sub-a", username: "alice", email: nil)

    func records(_ count: Int, from start: Int = 0) -> [Record] {
        (start..<start + count).map {
            Record(
                id: String(format: "t%05d", $0), version: 1, updatedAt: "", owner: "sub-a",
                fields: ["title": .string("Task \($0)")])
        }
    }

    @Test func launchWithoutASessionShowsSignIn() {
        var state = AppState()
        let effects = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        #expect(effects.isEmpty)
        guard case .signIn = state.screen else {
            Issue.record("expected the sign-in screen")
            return
        }
    }

    @Test func launchWithACachedSessionShowsTheCacheAtOnceThenRefreshes() {
        var state = AppState()
        let effects = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        #expect(state.screen == .list)
        #expect(state.list?.collection == "tasks")
        #expect(
            effects == [
                .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize), .refreshSchema,
                .loadCounts,
            ])
    }

    /// Issue 11 item 2: after `A`, `o` and a sign-in as someone else, nothing of the first user is on screen.
    @Test func signingOutAndInAsSomeoneElseForgetsTheFirstUsersData() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(3), total: 3)))
        _ = AppCore.update(&state, .sync(.countsLoaded(pending: 2, conflicts: 1)))
        let item = InboxItem(
            id: "n1", title: "Alice's note", body: "", createdAt: "2026-11-27T10:00:00Z", read: false, kind: "direct")
        _ = AppCore.update(&state, .inbox(.loaded([item], unread: 1)))
        #expect(state.list?.window.count == 3)

        _ = AppCore.update(&state, .account(.signedOut(message: "Signed out")))
        #expect(state.user == nil)
        #expect(state.list == nil && state.schema == nil)
        #expect(state.inbox.items.isEmpty && state.inbox.unreadCount == 0)
        #expect(state.sync.pendingCount == 0 && state.sync.conflictCount == 0)

        let bob = SignedInUser(sub: "sub-b", username: "bob", email: nil)
        #expect(AppCore.update(&state, .signIn(.succeeded(bob))) == [.refreshSchema, .loadCounts, .loadInbox])
        #expect(state.list == nil, "bob's list loads from bob's cache once the schema is there")
        #expect(state.dataOwner == "sub-b")
    }

    /// Searches run side by side, one per keystroke: an older one answering last must not put back rows.
    @Test func aSearchThatAnswersAfterTheFilterChangedIsIgnored() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(3), total: 3)))
        _ = AppCore.update(&state, .key(.character("/")))
        for character in "lisb pa" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .list(.searched(collection: "tasks", text: "lisb pa", records: records(1))))
        #expect(state.list?.total == 1)
        _ = AppCore.update(&state, .list(.searched(collection: "tasks", text: "lisb p", records: records(2))))
        #expect(state.list?.total == 1, "the answer for an older filter is dropped")
        #expect(state.list?.window.count == 1)
    }

    @Test func anExpiredSessionKeepsTheScreensForTheSamePersonOnly() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(3), total: 3)))
        _ = AppCore.update(&state, .account(.sessionExpired))
        _ = AppCore.update(&state, .signIn(.succeeded(Self.alice)))
        #expect(state.list?.window.count == 3, "alice again: her screens as they were")
        _ = AppCore.update(&state, .account(.sessionExpired))
        _ = AppCore.update(&state, .signIn(.succeeded(SignedInUser(sub: "sub-b", username: "bob", email: nil))))
        #expect(state.list == nil, "someone else: nothing of alice's")
        #expect(state.schema == nil)
    }

    @Test func signInFlowLoadsSchemaThenSyncsTheFirstCollection() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: nil, cachedSchema: nil, lastSyncedAt: nil))
        for character in "alice" { _ = AppCore.update(&state, .key(.character(character))) }
        _ = AppCore.update(&state, .key(.enter))
        for character in "pw" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(AppCore.update(&state, .key(.enter)) == [.signIn(username: "alice", password: "pw")])
        #expect(AppCore.update(&state, .signIn(.succeeded(Self.alice))) == [.refreshSchema, .loadCounts, .loadInbox])
        #expect(state.screen == .list)
        let effects = AppCore.update(&state, .list(.schemaLoaded(Self.schema)))
        #expect(
            effects == [
                .loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize),
                .sync(collection: "tasks"),
            ])
        #expect(state.sync.isSyncing)
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            AppCore.update(&state, .sync(.finished(collection: "tasks", count: 3, at: date)))
                == [.loadRecords(collection: "tasks", offset: 0, limit: RecordListState.windowSize), .loadCounts])
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(3), total: 3)))
        #expect(state.sync.connectivity == .online)
        #expect(state.sync.lastSyncedAt == date)
        #expect(state.list?.selectedRecord?.id == "t00000")
    }

    @Test func mfaPromptsCollectAnAnswerAndEscGoesBack() {
        var state = AppState()
        state.screen = .signIn(SignInState(username: "tina", password: "pw", focus: .password))
        #expect(AppCore.update(&state, .key(.enter)) == [.signIn(username: "tina", password: "pw")])
        _ = AppCore.update(&state, .signIn(.prompt(.mfaCode(method: .totp, destination: nil), error: nil)))
        for character in "12a3456" { _ = AppCore.update(&state, .key(.character(character))) }
        guard case .signIn(let form) = state.screen else {
            Issue.record("expected the sign-in screen")
            return
        }
        #expect(form.answer == "123456", "codes take digits only")
        #expect(AppCore.update(&state, .key(.enter)) == [.answerSignIn("123456")])
        _ = AppCore.update(
            &state, .signIn(.prompt(.mfaCode(method: .totp, destination: nil), error: "Wrong code; try again")))
        guard case .signIn(let retry) = state.screen else {
            Issue.record("expected the sign-in screen after a wrong code, got \(state.screen)")
            return
        }
        #expect(retry.error == "Wrong code; try again")
        #expect(retry.answer == "")
        #expect(!retry.isSubmitting)
        _ = AppCore.update(&state, .key(.escape))
        #expect(!state.shouldQuit, "Esc at a challenge goes back instead of quitting")
        guard case .signIn(let back) = state.screen else {
            Issue.record("expected the sign-in screen after Esc, got \(state.screen)")
            return
        }
        #expect(back.stage == .credentials)
        #expect(back.password == "")
    }

    @Test func choosingAnMFAMethod() {
        var state = AppState()
        state.screen = .signIn(SignInState(username: "u", password: "p", focus: .password))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .signIn(.prompt(.mfaChoice([.totp, .email]), error: nil)))
        _ = AppCore.update(&state, .key(.down))
        #expect(AppCore.update(&state, .key(.enter)) == [.answerSignIn("EMAIL_OTP")])
    }

    @Test func failedSignInKeepsTheUsernameAndClearsThePassword() {
        var state = AppState()
        state.screen = .signIn(SignInState(username: "alice", password: "bad", focus: .password))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .signIn(.failed("Incorrect username or password.")))
        guard case .signIn(let form) = state.screen else {
            Issue.record("expected the sign-in screen")
            return
        }
        #expect(form.username == "alice")
        #expect(form.password == "")
        #expect(form.error == "Incorrect username or password.")
        #expect(!form.isSubmitting)
    }

    @Test func goingOfflineKeepsTheCachedListAndSaysSo() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(2), total: 2)))
        _ = AppCore.update(&state, .sync(.failed(message: "cannot reach 127.0.0.1", offline: true)))
        #expect(state.sync.connectivity == .offline("cannot reach 127.0.0.1"))
        #expect(state.screen == .list)
        #expect(state.list?.window.count == 2)
    }

    @Test func anExpiredSessionReturnsToSignInWithAReason() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .account(.sessionExpired))
        #expect(state.user == nil)
        #expect(state.screen == .signIn(SignInState(error: "Your session has expired; please sign in again")))
    }

    @Test func scrollingFarLoadsAnotherWindowInsteadOfEverything() {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(
            &state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(400), total: 100_000)))
        #expect(AppCore.update(&state, .key(.character("j"))) == [])
        #expect(state.list?.selected == 1)
        let effects = AppCore.update(&state, .key(.character("G")))
        #expect(state.list?.selected == 99_999)
        #expect(state.list?.scrollTop == 99_990)
        #expect(effects == [.loadRecords(collection: "tasks", offset: 99_890, limit: RecordListState.windowSize)])
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(collection: "tasks", offset: 99_890, records: records(110, from: 99_890), total: 100_000)
            ))
        #expect(state.list?.selectedRecord?.id == "t99999")
        #expect(AppCore.update(&state, .key(.character("g"))).count == 1)
        #expect(state.list?.selected == 0)
    }

    @Test func tabSwitchesCollectionAndSyncsIt() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        let effects = AppCore.update(&state, .key(.tab))
        #expect(state.list?.collection == "projects")
        #expect(
            effects == [
                .loadRecords(collection: "projects", offset: 0, limit: RecordListState.windowSize),
                .sync(collection: "projects"),
            ])
        // A late answer for the collection no longer shown is ignored.
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records(2), total: 2)))
        #expect(state.list?.total == 0)
    }

    @Test func quitKeys() {
        var state = AppState()
        _ = AppCore.update(&state, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .key(.character("q")))
        #expect(state.shouldQuit)
        var signIn = AppState()
        _ = AppCore.update(&signIn, .key(.character("q")))
        #expect(!signIn.shouldQuit, "q is a letter on the sign-in form")
        _ = AppCore.update(&signIn, .key(.control("c")))
        #expect(signIn.shouldQuit)
    }

    /// Raw mode turns off the terminal's own Ctrl-Z; it suspends from every screen and overlay, leaving the state
    /// as it was (a form's text, an open question) for `fg`.
    @Test func ctrlZSuspendsFromAnyScreenAndChangesNothing() {
        var list = AppState()
        _ = AppCore.update(&list, .launched(user: Self.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        var form = list
        _ = AppCore.update(&form, .key(.character("n")))
        _ = AppCore.update(&form, .key(.character("x")))
        var help = list
        _ = AppCore.update(&help, .key(.character("?")))
        var asking = form
        _ = AppCore.update(&asking, .key(.control("c")))
        #expect(asking.confirmation != nil)
        for var state in [AppState(), list, form, help, asking] {
            let before = state
            #expect(AppCore.update(&state, .key(.control("z"))) == [.suspend])
            #expect(state == before)
        }
    }
}

@Suite struct AutoSyncTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func signedIn() -> AppState {
        var state = AppState()
        _ = AppCore.update(
            &state, .launched(user: AppCoreTests.alice, cachedSchema: AppCoreTests.schema, lastSyncedAt: nil))
        _ = AppCore.update(&state, .list(.schemaLoaded(AppCoreTests.schema)))
        return state
    }

    @Test func syncsOnAnIntervalWhileOnline() {
        var state = signedIn()
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 0, at: start)))
        #expect(AppCore.update(&state, .tick(start.addingTimeInterval(29))).filter { $0 != .pollInbox } == [])
        #expect(
            AppCore.update(&state, .tick(start.addingTimeInterval(30))).filter { $0 != .pollInbox } == [
                .sync(collection: "tasks")
            ])
        #expect(
            AppCore.update(&state, .tick(start.addingTimeInterval(31))).filter { $0 != .pollInbox } == [],
            "never two syncs at once")
    }

    @Test func retriesWithGrowingDelaysWhileOfflineAndResetsOnReturn() {
        var state = signedIn()
        _ = AppCore.update(&state, .tick(start)).filter { $0 != .pollInbox }
        _ = AppCore.update(&state, .sync(.failed(message: "cannot reach", offline: true)))
        var clock = start
        var gaps: [TimeInterval] = []
        var last = start
        for _ in 0..<400 {
            clock += 1
            if AppCore.update(&state, .tick(clock)).filter { $0 != .pollInbox } == [.sync(collection: "tasks")] {
                gaps.append(clock.timeIntervalSince(last))
                last = clock
                _ = AppCore.update(&state, .sync(.failed(message: "cannot reach", offline: true)))
            }
        }
        #expect(Array(gaps.prefix(6)) == [2, 4, 8, 16, 32, 60])
        #expect(gaps.dropFirst(6).allSatisfy { $0 == 60 }, "capped at a minute")
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 1, at: clock)))
        #expect(state.sync.connectivity == .online)
        #expect(state.sync.schedule.retryDelay == AutoSync.firstOfflineRetry)
    }

    @Test func aStuckSyncIsForgottenByTheWatchdog() {
        var state = signedIn()
        _ = AppCore.update(&state, .tick(start)).filter { $0 != .pollInbox }
        #expect(state.sync.isSyncing)
        _ = AppCore.update(&state, .tick(start.addingTimeInterval(AutoSync.watchdog + 1))).filter { $0 != .pollInbox }
        #expect(!state.sync.isSyncing)
        #expect(state.message?.kind == .error)
    }

    @Test func nothingHappensOnTheSignInScreen() {
        var state = AppState()
        #expect(AppCore.update(&state, .tick(start)).filter { $0 != .pollInbox } == [])
        #expect(AppCore.update(&state, .tick(start.addingTimeInterval(3600))).filter { $0 != .pollInbox } == [])
    }
}
