import Foundation

/// When to long-poll the inbox, as a pure machine: one poll at a time, the next one as soon as it answers, and
/// after a failure a wait that doubles up to a minute (reset when the cloud is back).
public struct InboxPollSchedule: Sendable, Equatable {
    public enum Event: Sendable, Equatable {
        case tick(Date)
        /// A poll answered.
        case polled
        /// A poll failed; `at` is the last known time.
        case failed(at: Date?)
        /// The cloud answered something else (a sync): no need to wait out the backoff.
        case cloudBack(at: Date)
        /// Signed out: no poll runs.
        case stopped
    }

    public enum Action: Sendable, Equatable {
        case poll
    }

    public private(set) var isPolling = false
    /// Not before this time (after a failure); nil: at once.
    public private(set) var nextPollAt: Date?
    /// The wait after the next failure.
    public private(set) var retryDelay = AutoSync.firstOfflineRetry

    public init() {}

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .tick(let now):
            guard !isPolling, nextPollAt.map({ now >= $0 }) ?? true else { return [] }
            isPolling = true
            return [.poll]
        case .polled:
            isPolling = false
            retryDelay = AutoSync.firstOfflineRetry
            nextPollAt = nil
        case .failed(let date):
            isPolling = false
            nextPollAt = date.map { $0.addingTimeInterval(retryDelay) }
            retryDelay = min(retryDelay * 2, AutoSync.maximumOfflineRetry)
        case .cloudBack(let date):
            retryDelay = AutoSync.firstOfflineRetry
            if let next = nextPollAt, next > date { nextPollAt = date }
        case .stopped:
            isPolling = false
        }
        return []
    }
}
