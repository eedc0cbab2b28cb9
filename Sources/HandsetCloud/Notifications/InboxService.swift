import Foundation
import HandsetCloudStorage
import HandsetWire
import ServiceLifecycle

/// Delivers notifications and answers inbox polls, long ones included. Every delivery, from a request, a record
/// event or another process, goes through the database; this process's deliveries also wake the recipients' polls
/// directly.
struct InboxService: Sendable {
    let store: any NotificationRepository
    let waiters: InboxWaiters
    let settings: NotificationSettings
    let now: @Sendable () -> Date

    /// Adds `draft` to the inboxes of `subs` and wakes their polls; returns how many inboxes received it. With
    /// `coalescing`, an unread notification of the same kind about the same record is not repeated.
    @discardableResult
    func deliver(
        _ draft: NotificationDraft, kind: NotificationKind, topic: String? = nil, to subs: [String],
        coalescing: Bool = false
    ) async throws -> Int {
        let items = try await store.deliver(
            draft, kind: kind.rawValue, topic: topic, to: subs, at: now(), coalescing: coalescing)
        if !items.isEmpty { waiters.signal(subs) }
        return items.count
    }

    /// `sub`'s notifications after `since`; when there are none and `wait` is positive, held until one arrives
    /// (answered at once) or `wait` has passed (answered empty).
    func page(sub: String, since: Int64, limit: Int, wait: Duration, device: String? = nil) async throws -> InboxPage {
        let deadline = ContinuousClock.now + wait
        var page = try await read(sub: sub, since: since, limit: limit, device: device)
        // A held poll answers (empty) as soon as the server starts shutting down, so stopping never waits for it.
        while page.items.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled, !Task.isShuttingDownGracefully {
            let ticket = waiters.register(sub, after: since)
            do {
                page = try await read(sub: sub, since: since, limit: limit, device: device)
                if page.items.isEmpty {
                    await withGracefulShutdownHandler {
                        await ticket.wait(timeout: deadline - ContinuousClock.now)
                    } onGracefulShutdown: {
                        ticket.signal()
                    }
                    page = try await read(sub: sub, since: since, limit: limit, device: device)
                }
            } catch {
                waiters.remove(ticket)
                throw error
            }
            waiters.remove(ticket)
        }
        return page
    }

    private func read(sub: String, since: Int64, limit: Int, device: String?) async throws -> InboxPage {
        let oldest = now().addingTimeInterval(-settings.retentionDays * 86_400)
        let (items, cursor, unread) = try await store.page(
            sub: sub, after: since, limit: limit, notBefore: oldest, device: device)
        return InboxPage(items: items, cursor: String(cursor ?? since), unread: unread)
    }

    /// Removes notifications past retention.
    @discardableResult
    func purgeExpired() async throws -> Int {
        try await store.purge(before: now().addingTimeInterval(-settings.retentionDays * 86_400))
    }
}
