import Foundation

/// Wakes the polls of users who received notifications that another process (`handset-cloud notify` or
/// `publish` writing to the database directly) delivered. One cheap query per tick, and a second only when
/// something new arrived while polls are waiting.
final class ExternalDeliveryWatcher: @unchecked Sendable {
    private let store: NotificationStore
    private let waiters: InboxWaiters
    private let lock = NSLock()
    private var lastSeen: Int64?

    init(store: NotificationStore, waiters: InboxWaiters) {
        self.store = store
        self.waiters = waiters
    }

    func tick() async throws {
        let latest = try await store.latestSequence()
        let previous = lock.withLock {
            let previous = lastSeen
            lastSeen = latest
            return previous
        }
        guard let previous, latest > previous, waiters.count > 0 else { return }
        waiters.signal(try await store.recipients(after: previous))
    }
}
