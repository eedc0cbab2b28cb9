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

    /// Marks read on the server, then locally (so a failure leaves them unread everywhere).
    public func markRead(_ id: String?) async throws {
        try await api.markRead(id)
        try store.markNotificationsRead(id)
    }
}
