import Foundation
import Testing

@testable import HandsetApp

/// The sync schedule and the inbox poll schedule as machines: events and the time in, actions out.
@Suite struct SyncScheduleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theFirstTickSetsTheNextSyncAndItRunsWhenDue() {
        var schedule = SyncSchedule()
        #expect(schedule.handle(.tick(start, interval: 30)) == [])
        #expect(schedule.nextSyncAt == start + 30)
        #expect(schedule.handle(.tick(start + 29, interval: 30)) == [])
        #expect(schedule.handle(.tick(start + 30, interval: 30)) == [.sync])
        #expect(schedule.isSyncing && schedule.startedAt == start + 30 && schedule.nextSyncAt == nil)
        #expect(schedule.handle(.tick(start + 31, interval: 30)) == [], "never two at once")
        #expect(schedule.handle(.requested) == [], "a request while one runs starts nothing")
        _ = schedule.handle(.finished(at: start + 40, interval: 30))
        #expect(!schedule.isSyncing)
        #expect(schedule.nextSyncAt == start + 70)
        #expect(schedule.handle(.requested) == [.sync])
        #expect(schedule.handle(.forced) == [.sync], "a forced start runs even while one runs")
    }

    @Test func offlineRetriesDoubleUpToAMinuteAndResetOnReturn() {
        var schedule = SyncSchedule()
        _ = schedule.handle(.requested)
        var now = start
        var waits: [TimeInterval] = []
        for _ in 0..<8 {
            _ = schedule.handle(.failed(offline: true, at: now))
            let next = schedule.nextSyncAt ?? now
            waits.append(next.timeIntervalSince(now))
            #expect(schedule.handle(.tick(next - 1, interval: 30)) == [])
            #expect(schedule.handle(.tick(next, interval: 30)) == [.sync])
            now = next
        }
        #expect(waits == [2, 4, 8, 16, 32, 60, 60, 60])
        _ = schedule.handle(.finished(at: now, interval: 30))
        #expect(!schedule.isOffline && schedule.retryDelay == AutoSync.firstOfflineRetry)
        _ = schedule.handle(.failed(offline: true, at: now))
        #expect(schedule.nextSyncAt == now + 2)
    }

    @Test func anAnswerFromTheCloudEndsTheDoubling() {
        var schedule = SyncSchedule()
        _ = schedule.handle(.failed(offline: true, at: start))
        _ = schedule.handle(.failed(offline: true, at: start))
        #expect(schedule.retryDelay == 4)
        _ = schedule.handle(.reachable)
        _ = schedule.handle(.failed(offline: true, at: start))
        #expect(schedule.retryDelay == 4, "the first failure after an answer does not double")
    }

    @Test func aFailureWithAnAnswerKeepsTheSchedule() {
        var schedule = SyncSchedule()
        _ = schedule.handle(.tick(start, interval: 30))
        _ = schedule.handle(.requested)
        _ = schedule.handle(.failed(offline: false, at: start + 1))
        #expect(!schedule.isSyncing && !schedule.isOffline)
        #expect(schedule.nextSyncAt == start + 30)
    }

    @Test func theWatchdogForgetsAStuckSync() {
        var schedule = SyncSchedule()
        _ = schedule.handle(.requested)
        #expect(schedule.handle(.tick(start, interval: 30)) == [])
        #expect(schedule.startedAt == start, "a requested sync is timed from the next tick")
        #expect(schedule.handle(.tick(start + AutoSync.watchdog, interval: 30)) == [])
        #expect(schedule.handle(.tick(start + AutoSync.watchdog + 1, interval: 30)) == [.timedOut])
        #expect(!schedule.isSyncing)
    }

    @Test func stoppingClearsEverything() {
        var schedule = SyncSchedule()
        _ = schedule.handle(.tick(start, interval: 30))
        _ = schedule.handle(.requested)
        _ = schedule.handle(.stopped)
        #expect(!schedule.isSyncing && schedule.nextSyncAt == nil && schedule.startedAt == nil)
        _ = schedule.handle(.requested)
        _ = schedule.handle(.cancelled)
        #expect(!schedule.isSyncing)
    }

    @Test func theInboxPollsOneAtATimeAndBacksOff() {
        var poll = InboxPollSchedule()
        #expect(poll.handle(.tick(start)) == [.poll])
        #expect(poll.handle(.tick(start + 1)) == [], "one long-poll at a time")
        _ = poll.handle(.polled)
        #expect(poll.handle(.tick(start + 1)) == [.poll], "the next one at once")
        _ = poll.handle(.failed(at: start + 1))
        #expect(poll.nextPollAt == start + 3)
        #expect(poll.handle(.tick(start + 2)) == [])
        #expect(poll.handle(.tick(start + 3)) == [.poll])
        _ = poll.handle(.failed(at: start + 3))
        #expect(poll.nextPollAt == start + 7)
        _ = poll.handle(.cloudBack(at: start + 4))
        #expect(poll.nextPollAt == start + 4 && poll.retryDelay == AutoSync.firstOfflineRetry)
        #expect(poll.handle(.tick(start + 4)) == [.poll])
        _ = poll.handle(.stopped)
        #expect(!poll.isPolling)
    }

    @Test func theAppRunsBothFromTheClockOnlyWhileSignedIn() {
        var state = AppState()
        #expect(AppCore.update(&state, .tick(start)) == [])
        _ = AppCore.update(
            &state, .launched(user: AppCoreTests.alice, cachedSchema: AppCoreTests.schema, lastSyncedAt: nil))
        #expect(AppCore.update(&state, .tick(start)) == [.pollInbox])
        #expect(state.sync.schedule.nextSyncAt == start + AutoSync.interval)
        #expect(AppCore.update(&state, .tick(start + AutoSync.interval)) == [.sync(collection: "tasks")])
        _ = AppCore.update(&state, .account(.signedOut(message: "Signed out")))
        #expect(!state.sync.isSyncing && !state.inbox.poll.isPolling)
        #expect(AppCore.update(&state, .tick(start + 100)) == [])
    }
}
