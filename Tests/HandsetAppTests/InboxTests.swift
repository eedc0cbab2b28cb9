import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct InboxTests {
    static let item = InboxItem(
        id: "n1", title: "Ana assigned you a task", body: "Review the sync design", createdAt: "2026-11-27T12:00:00Z",
        read: false, kind: "record.assigned", link: RecordLink(collection: "tasks", id: "t9"))

    @Test func pollsContinuouslyAndToastsNewNotifications() {
        var state = EditingTests().listState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(AppCore.update(&state, .tick(now)).contains(.pollInbox))
        #expect(!AppCore.update(&state, .tick(now + 1)).contains(.pollInbox), "one long-poll at a time")
        _ = AppCore.update(&state, .inbox(.polled(new: [Self.item], unread: 3)))
        #expect(state.inbox.unreadCount == 3)
        #expect(state.message?.text == "🔔 Ana assigned you a task")
        #expect(AppCore.update(&state, .tick(now + 2)).contains(.pollInbox), "the next long-poll starts at once")
    }

    @Test func failedPollsBackOff() {
        var state = EditingTests().listState()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = AppCore.update(&state, .tick(now))
        _ = AppCore.update(&state, .inbox(.pollFailed(offline: true)))
        #expect(!AppCore.update(&state, .tick(now + 1)).contains(.pollInbox))
        #expect(AppCore.update(&state, .tick(now + 2)).contains(.pollInbox))
        _ = AppCore.update(&state, .inbox(.pollFailed(offline: true)))
        #expect(!AppCore.update(&state, .tick(now + 5)).contains(.pollInbox))
        #expect(AppCore.update(&state, .tick(now + 6)).contains(.pollInbox))
    }

    /// Issue 11 item 16: `● online` no longer stays after the cloud stopped: the open long-poll notices first.
    @Test func aPollWithoutAnAnswerShowsOfflineAtOnceAndAnAnsweredOneOnline() {
        var state = EditingTests().listState()
        state.sync.connectivity = .online
        _ = AppCore.update(&state, .tick(Date(timeIntervalSince1970: 1_800_000_000)))
        _ = AppCore.update(&state, .inbox(.pollFailed(offline: false)))
        #expect(state.sync.connectivity == .online, "the server answered (an error): it is there")
        _ = AppCore.update(&state, .inbox(.pollFailed(offline: true)))
        #expect(state.sync.connectivity == .offline("the cloud does not answer"))
        _ = AppCore.update(&state, .inbox(.polled(new: [], unread: 0)))
        #expect(state.sync.connectivity == .online)
    }

    @Test func openingANotificationMarksItReadAndShowsTheRecord() {
        var state = EditingTests().listState()
        #expect(AppCore.update(&state, .key(.character("i"))) == [.loadInbox])
        _ = AppCore.update(&state, .inbox(.loaded([Self.item], unread: 1)))
        #expect(
            AppCore.update(&state, .key(.enter)) == [
                .markRead("n1"), .openLinkedRecord(RecordLink(collection: "tasks", id: "t9")),
            ])
        let record = Record(id: "t9", version: 1, updatedAt: "", owner: "x", fields: ["title": "Review"])
        _ = AppCore.update(&state, .inbox(.linkedRecordLoaded(collection: "tasks", record: record)))
        #expect(state.screen == .detail(recordId: "t9"))
        #expect(state.detail.focusedRecord == record)
        _ = AppCore.update(&state, .key(.character("e")))
        guard case .edit(let form) = state.screen else {
            Issue.record("a record opened from a notification can be edited")
            return
        }
        #expect(form.recordId == "t9")
    }
}

/// Notifications that cannot be opened say what is true (issue 11 item 13).
@Suite struct UnopenableNotificationTests {
    func inboxWith(_ item: InboxItem) -> AppState {
        var state = EditingTests().listState()
        _ = AppCore.update(&state, .key(.character("i")))
        _ = AppCore.update(&state, .inbox(.loaded([item], unread: 0)))
        return state
    }

    func item(kind: String = "direct", link: RecordLink) -> InboxItem {
        InboxItem(id: "n1", title: "N", body: "", createdAt: "", read: true, kind: kind, link: link)
    }

    @Test func aCollectionTheAPIDoesNotHaveIsSaidAtOnce() {
        var state = inboxWith(item(link: RecordLink(collection: "widgets", id: "w1")))
        #expect(AppCore.update(&state, .key(.enter)) == [])
        #expect(state.message?.text == "This notification is about “widgets”, which this app's API does not have")
        #expect(state.screen == .inbox(selected: 0))
    }

    @Test func aRecordTheCloudDoesNotHaveForThePersonIsNotThere() {
        let link = RecordLink(collection: "tasks", id: "t9")
        var state = inboxWith(item(link: link))
        #expect(AppCore.update(&state, .key(.enter)) == [.openLinkedRecord(link)])
        _ = AppCore.update(&state, .inbox(.linkedRecordUnavailable(link, .notThere)))
        #expect(state.message?.text == "That task is not there for you: it was deleted, or it is not shared with you")
        #expect(!(state.message?.text.contains("try r to sync") ?? true))
        _ = AppCore.update(&state, .inbox(.linkedRecordUnavailable(link, .offline("cannot reach 127.0.0.1"))))
        #expect(
            state.message?.text
                == "That task is not on this device yet, and the cloud cannot be reached to fetch it (cannot reach 127.0.0.1)"
        )
        #expect(state.screen == .inbox(selected: 0))
    }

    @Test func aConflictFromAnotherDeviceIsSaidToBeThereAndOneHereOpens() {
        let link = RecordLink(collection: "tasks", id: "t1")
        var state = inboxWith(item(kind: "conflict", link: link))
        #expect(AppCore.update(&state, .key(.enter)) == [.loadConflicts])
        _ = AppCore.update(&state, .conflicts(.loaded([])))
        #expect(
            state.message?.text
                == "That conflict is not on this device: it happened on another of your devices, and is settled there")
        #expect(state.screen == .inbox(selected: 0))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .conflicts(.loaded([ConflictsScreenTests.conflict])))
        guard case .conflicts(let screen) = state.screen else {
            Issue.record("the conflict here did not open")
            return
        }
        #expect(screen.current?.recordId == "t1")
    }
}
