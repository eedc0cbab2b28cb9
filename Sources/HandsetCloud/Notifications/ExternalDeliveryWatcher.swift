import Foundation
import HandsetCloudStorage

/// Wakes the polls of users who received notifications that another process delivered (another instance on the
/// same database, or `handset-cloud notify` and `publish` writing to it directly).
///
/// It compares state, not events: each tick (only while polls wait) it reads the newest inbox cursor of every
/// waiting user (one index lookup each) and wakes those whose cursor passed the one their poll waits after. A
/// cursor only grows, and only once its delivery has committed, so no wake-up is lost to ordering, and a spurious
/// one costs the poll one re-read.
final class ExternalDeliveryWatcher: Sendable {
    private let store: any NotificationRepository
    private let waiters: InboxWaiters

    init(store: any NotificationRepository, waiters: InboxWaiters) {
        self.store = store
        self.waiters = waiters
    }

    func tick() async throws {
        let waiting = waiters.waitingCursors
        guard !waiting.isEmpty else { return }
        let latest = try await store.latestCursors(for: Array(waiting.keys))
        let news = waiting.filter { sub, after in (latest[sub] ?? 0) > after }.map(\.key)
        if !news.isEmpty { waiters.signal(news) }
    }
}
