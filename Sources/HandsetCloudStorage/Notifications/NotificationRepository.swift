import Foundation
import HandsetWire

/// Inboxes, topics and their subscriptions. Users and groups are read from the user pool's tables.
///
/// Each inbox has its own cursor sequence: `deliver` gives each recipient's new notification the next value of that
/// recipient's sequence, and values commit in order (a reader that has seen n has seen every smaller value), so a
/// poll that passes cursor n never misses a notification committed later with a smaller one.
package protocol NotificationRepository: Sendable {
    /// Adds one notification to each of `subs` (deduplicated) and returns those added. With `coalescing`, a
    /// recipient who still has an unread notification of the same kind linking the same record gets no other.
    func deliver(
        _ draft: NotificationDraft, kind: String, topic: String?, to subs: [String], at date: Date, coalescing: Bool
    ) async throws -> [InboxItem]

    /// Up to `limit` of `sub`'s notifications after cursor `after` and created at or after `notBefore`, with the
    /// cursor of the last one and the inbox's unread count. Notifications about `device` itself are left out of
    /// what that device sees.
    func page(
        sub: String, after: Int64, limit: Int, notBefore: Date, device: String?
    ) async throws
        -> (items: [InboxItem], cursor: Int64?, unread: Int)

    /// Marks one of `sub`'s notifications read; false when `sub` has none with this id.
    func markRead(sub: String, id: String) async throws -> Bool
    func markAllRead(sub: String) async throws
    /// Deletes notifications created before `date`; returns how many.
    @discardableResult
    func purge(before date: Date) async throws -> Int

    /// The newest cursor of each of these inboxes (absent: nothing delivered yet). A value only grows, and only once
    /// the delivery that took it has committed: comparing it with a poll's cursor tells whether the poll has
    /// something new, whichever process delivered it.
    func latestCursors(for subs: [String]) async throws -> [String: Int64]

    /// The `sub` of the user with this sub, username or email (in that order); `nil` when there is none, or when
    /// an email is shared by more than one user.
    func userSub(matching name: String) async throws -> String?
    /// The user an assignee field names: a confirmed, enabled user by sub, username or email, and by email only when
    /// that address is verified and no other such user has it.
    func assignee(matching name: String) async throws -> AssigneeMatch?

    /// Creates a topic; false when it exists.
    func createTopic(_ name: String, by sub: String, at date: Date) async throws -> Bool
    /// Subscribes a user or a group; false when the topic does not exist.
    func subscribe(topic: String, _ target: SubscriptionTarget, at date: Date) async throws -> Bool
    /// Every user a publish to `topic` reaches: users subscribed directly and members of subscribed groups, each
    /// once, by sub; `nil` when the topic does not exist.
    func subscribers(of topic: String) async throws -> [String]?
}

extension NotificationRepository {
    package func deliver(
        _ draft: NotificationDraft, kind: String, topic: String?, to subs: [String], at date: Date
    ) async throws -> [InboxItem] {
        try await deliver(draft, kind: kind, topic: topic, to: subs, at: date, coalescing: false)
    }

    package func page(
        sub: String, after: Int64, limit: Int, notBefore: Date
    ) async throws
        -> (items: [InboxItem], cursor: Int64?, unread: Int)
    {
        try await page(sub: sub, after: after, limit: limit, notBefore: notBefore, device: nil)
    }
}

/// Who a topic subscription reaches.
package enum SubscriptionTarget: Sendable, Equatable {
    case user(sub: String)
    case group(String)
}

/// A user an assignee field names, with their groups (to check what they may read).
package struct AssigneeMatch: Sendable, Equatable {
    package var sub: String
    package var username: String
    package var email: String?
    package var groups: [String]

    package init(sub: String, username: String, email: String?, groups: [String]) {
        self.sub = sub
        self.username = username
        self.email = email
        self.groups = groups
    }
}
