import Foundation

/// When to sync, as a pure machine: events in (with the time), actions out.
///
/// Online, a sync runs `interval` seconds after the last one ended; offline, retries wait 2 s, then twice as long
/// each time the cloud stays away, up to a minute; never two run at once (a forced start aside); a sync that never
/// answers is forgotten after the watchdog's limit, so the schedule cannot stall.
public struct SyncSchedule: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        /// The clock moved; `interval` is the online period from the settings.
        case tick(Date, interval: TimeInterval)
        /// A sync is wanted now (the sync key, a local write): started unless one runs.
        case requested
        /// A sync is started whatever runs (another collection was opened, the schema arrived).
        case forced
        /// A started sync had nothing to do (no collection to sync).
        case cancelled
        case finished(at: Date, interval: TimeInterval)
        /// A call to the cloud failed; `offline` when no answer came; `at` is the last known time.
        case failed(offline: Bool, at: Date?)
        /// The cloud answered something else (a schema, a sign-in).
        case reachable
        /// Signed out: nothing runs and nothing is due.
        case stopped
    }

    public enum Action: Sendable, Equatable {
        /// Start a sync.
        case sync
        /// The running sync passed the watchdog's limit and is forgotten (its answer is still taken if it comes).
        case timedOut
    }

    public private(set) var isSyncing = false
    /// When the next automatic sync is due (set on the first tick after a sync or a failure).
    public private(set) var nextSyncAt: Date?
    /// How long to wait before retrying while offline.
    public private(set) var retryDelay = AutoSync.firstOfflineRetry
    /// When the running sync was first seen running by a tick, for the watchdog.
    public private(set) var startedAt: Date?
    /// Whether the last call to the cloud got no answer at all.
    public private(set) var isOffline = false

    public init() {}

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .tick(let now, let interval):
            return tick(now, interval: interval)
        case .requested:
            guard !isSyncing else { return [] }
            isSyncing = true
            return [.sync]
        case .forced:
            isSyncing = true
            return [.sync]
        case .cancelled:
            isSyncing = false
            startedAt = nil
        case .finished(let date, let interval):
            isSyncing = false
            startedAt = nil
            isOffline = false
            retryDelay = AutoSync.firstOfflineRetry
            nextSyncAt = date.addingTimeInterval(interval)
        case .failed(let offline, let date):
            isSyncing = false
            startedAt = nil
            if offline {
                // Each failure in a row waits longer, up to a minute.
                if isOffline { retryDelay = min(retryDelay * 2, AutoSync.maximumOfflineRetry) }
                nextSyncAt = date.map { $0.addingTimeInterval(retryDelay) }
                isOffline = true
            }
        case .reachable:
            isOffline = false
        case .stopped:
            isSyncing = false
            startedAt = nil
            nextSyncAt = nil
        }
        return []
    }

    private mutating func tick(_ now: Date, interval: TimeInterval) -> [Action] {
        var actions: [Action] = []
        if isSyncing {
            if let started = startedAt, now.timeIntervalSince(started) > AutoSync.watchdog {
                isSyncing = false
                startedAt = nil
                actions.append(.timedOut)
            } else {
                if startedAt == nil { startedAt = now }
                return []
            }
        }
        guard let due = nextSyncAt else {
            nextSyncAt = now.addingTimeInterval(isOffline ? retryDelay : interval)
            return actions
        }
        guard now >= due else { return actions }
        nextSyncAt = nil
        isSyncing = true
        startedAt = now
        return actions + [.sync]
    }
}
