import Foundation
import HandsetRemote
import HandsetStore
import HandsetWire

/// One long-poll of the notification inbox: waits on the server (not here) until something arrives or `wait`
/// ends, stores what came with its cursor, and returns what is new.
public struct InboxPoller: Sendable {
    private let api: APIClient
    private let store: LocalStore

    public init(api: APIClient, store: LocalStore) {
        self.api = api
        self.store = store
    }

    /// New notifications (possibly none) and the unread count.
    public func poll(wait: Int) async throws -> (new: [InboxItem], unread: Int) {
        let page = try await api.inbox(since: try store.inboxCursor(), wait: wait)
        let fresh = try store.applyInbox(page)
        return (fresh, page.unread)
    }

    /// One long-poll for a follower (`handset inbox --follow`): after the follower's own cursor, not the cache's,
    /// which another process of the same user may have moved past items this follower has not shown yet. Stores what
    /// came and returns every item after `cursor`, with the next cursor.
    public func follow(after cursor: String?, wait: Int) async throws -> (items: [InboxItem], cursor: String) {
        let page = try await api.inbox(since: cursor, wait: wait)
        try store.applyInbox(page)
        return (page.items, page.cursor)
    }

    /// Marks read on the server, then locally (so a failure leaves them unread everywhere).
    public func markRead(_ id: String?) async throws {
        try await api.markRead(id)
        try store.markNotificationsRead(id)
    }
}
