import Foundation
import GRDB
import HandsetCloudStorage
import HandsetWire

/// The notification tables: inboxes, topics and their subscriptions. Every method is one transaction. Users and
/// groups are read from the user pool's tables. Every inbox's cursor is a value of one counter
/// (`notifications.seq`): with one writer at a time, values commit in order.
package struct SQLiteNotificationRepository: NotificationRepository {
    package let database: CloudDatabase

    package init(database: CloudDatabase) {
        self.database = database
    }

    // MARK: Inbox

    /// Adds one notification to each of `subs` (deduplicated) and returns those added. With `coalescing`, a
    /// recipient who still has an unread notification of the same kind linking the same record gets no other.
    package func deliver(
        _ draft: NotificationDraft, kind: String, topic: String?, to subs: [String], at date: Date, coalescing: Bool
    ) async throws -> [InboxItem] {
        var seen: Set<String> = []
        let recipients = subs.filter { seen.insert($0).inserted }
        guard !recipients.isEmpty else { return [] }
        return try await database.writer.write { db in
            var items: [InboxItem] = []
            for sub in recipients {
                if coalescing, let link = draft.link,
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM notifications WHERE user_sub = ? AND read = 0 AND kind = ?
                                AND link_collection = ? AND link_id = ?)
                            """,
                        arguments: [sub, kind, link.collection, link.id]) == true
                {
                    continue
                }
                let id = UUID().uuidString.lowercased()
                try db.execute(
                    sql: """
                        INSERT INTO notifications
                            (id, user_sub, kind, topic, title, body, link_collection, link_id, created_at, origin_device)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id, sub, kind, topic, draft.title, draft.body, draft.link?.collection, draft.link?.id,
                        date.timeIntervalSince1970, draft.originDevice,
                    ])
                items.append(
                    InboxItem(
                        id: id, title: draft.title, body: draft.body, createdAt: Timestamp.string(from: date),
                        read: false, kind: kind, topic: topic, link: draft.link))
            }
            return items
        }
    }

    /// Up to `limit` of `sub`'s notifications after cursor `after` and created at or after `notBefore`, with the
    /// cursor of the last one and the inbox's unread count. Notifications about `device` itself are left out of
    /// what that device sees.
    package func page(
        sub: String, after: Int64, limit: Int, notBefore: Date, device: String?
    ) async throws
        -> (items: [InboxItem], cursor: Int64?, unread: Int)
    {
        try await database.writer.read { db in
            let notMine = "(origin_device IS NULL OR origin_device != ?)"
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM notifications WHERE user_sub = ? AND seq > ? AND created_at >= ? AND \(notMine)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [sub, after, notBefore.timeIntervalSince1970, device ?? "", limit])
            let unread =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM notifications WHERE user_sub = ? AND read = 0 AND created_at >= ?
                            AND \(notMine)
                        """,
                    arguments: [sub, notBefore.timeIntervalSince1970, device ?? ""]) ?? 0
            return (rows.map(Self.item(from:)), rows.last.map { $0["seq"] }, unread)
        }
    }

    /// Marks one of `sub`'s notifications read; false when `sub` has none with this id.
    package func markRead(sub: String, id: String) async throws -> Bool {
        try await database.writer.write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM notifications WHERE id = ? AND user_sub = ?)",
                    arguments: [id, sub]) == true
            else { return false }
            try db.execute(
                sql: "UPDATE notifications SET read = 1 WHERE id = ? AND user_sub = ?", arguments: [id, sub])
            return true
        }
    }

    package func markAllRead(sub: String) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE notifications SET read = 1 WHERE user_sub = ? AND read = 0", arguments: [sub])
        }
    }

    /// Deletes notifications created before `date`; returns how many.
    @discardableResult
    package func purge(before date: Date) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM notifications WHERE created_at < ?", arguments: [date.timeIntervalSince1970])
            return db.changesCount
        }
    }

    package func latestCursors(for subs: [String]) async throws -> [String: Int64] {
        guard !subs.isEmpty else { return [:] }
        return try await database.writer.read { db in
            var cursors: [String: Int64] = [:]
            // One index lookup per user (notifications_by_user ends in seq).
            let statement = try db.cachedStatement(sql: "SELECT MAX(seq) FROM notifications WHERE user_sub = ?")
            for sub in Set(subs) {
                if let cursor = try Int64.fetchOne(statement, arguments: [sub]) { cursors[sub] = cursor }
            }
            return cursors
        }
    }

    static func item(from row: Row) -> InboxItem {
        let collection: String? = row["link_collection"]
        let id: String? = row["link_id"]
        return InboxItem(
            id: row["id"], title: row["title"], body: row["body"],
            createdAt: Timestamp.string(from: Date(timeIntervalSince1970: row["created_at"])), read: row["read"],
            kind: row["kind"], topic: row["topic"],
            link: collection.flatMap { collection in id.map { RecordLink(collection: collection, id: $0) } })
    }

    // MARK: Users and groups (the user pool's tables)

    /// The `sub` of the user with this sub, username or email (in that order); `nil` when there is none, or when
    /// an email is shared by more than one user.
    package func userSub(matching name: String) async throws -> String? {
        try await database.writer.read { db in
            if let sub = try String.fetchOne(db, sql: "SELECT sub FROM users WHERE sub = ?", arguments: [name]) {
                return sub
            }
            if let sub = try String.fetchOne(
                db, sql: "SELECT sub FROM users WHERE username = ? COLLATE NOCASE", arguments: [name])
            {
                return sub
            }
            let byEmail = try String.fetchAll(
                db, sql: "SELECT sub FROM users WHERE lower(email) = lower(?) LIMIT 2", arguments: [name])
            return byEmail.count == 1 ? byEmail[0] : nil
        }
    }

    /// The user an assignee field names, with their groups (to check what they may read): a confirmed, enabled
    /// user by sub, username or email, and by email only when that address is verified and no other such user has
    /// it. An unconfirmed sign-up or an unverified address never matches, so nobody can claim another's
    /// assignments, or silence them, by typing their address.
    package func assignee(matching name: String) async throws -> AssigneeMatch? {
        try await database.writer.read { db in
            let eligible = "status = 'CONFIRMED' AND enabled = 1"
            var row = try Row.fetchOne(
                db, sql: "SELECT sub, username, email FROM users WHERE sub = ? AND \(eligible)", arguments: [name])
            if row == nil {
                row = try Row.fetchOne(
                    db, sql: "SELECT sub, username, email FROM users WHERE username = ? COLLATE NOCASE AND \(eligible)",
                    arguments: [name])
            }
            if row == nil {
                let byEmail = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT sub, username, email FROM users
                        WHERE lower(email) = lower(?) AND email_verified = 1 AND \(eligible) LIMIT 2
                        """,
                    arguments: [name])
                row = byEmail.count == 1 ? byEmail.first : nil
            }
            guard let row else { return nil }
            let sub: String = row["sub"]
            let groups = try String.fetchAll(
                db, sql: "SELECT group_name FROM user_groups WHERE user_sub = ? ORDER BY group_name", arguments: [sub])
            return AssigneeMatch(sub: sub, username: row["username"], email: row["email"], groups: groups)
        }
    }

    // MARK: Topics

    /// Creates a topic; false when it exists.
    package func createTopic(_ name: String, by sub: String, at date: Date) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO topics (name, created_by, created_at) VALUES (?, ?, ?)",
                arguments: [name, sub, date.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    /// Subscribes a user or a group; false when the topic does not exist.
    package func subscribe(topic: String, _ target: SubscriptionTarget, at date: Date) async throws -> Bool {
        try await database.writer.write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM topics WHERE name = ?)", arguments: [topic])
                    == true
            else { return false }
            let (kind, value): (String, String) =
                switch target {
                case .user(let sub): ("user", sub)
                case .group(let group): ("group", group)
                }
            try db.execute(
                sql: "INSERT OR IGNORE INTO topic_subscriptions (topic, kind, target, created_at) VALUES (?, ?, ?, ?)",
                arguments: [topic, kind, value, date.timeIntervalSince1970])
            return true
        }
    }

    /// Every user a publish to `topic` reaches: users subscribed directly and members of subscribed groups, each
    /// once; `nil` when the topic does not exist.
    package func subscribers(of topic: String) async throws -> [String]? {
        try await database.writer.read { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM topics WHERE name = ?)", arguments: [topic])
                    == true
            else { return nil }
            return try String.fetchAll(
                db,
                sql: """
                    SELECT target FROM topic_subscriptions WHERE topic = ?1 AND kind = 'user'
                    UNION
                    SELECT m.user_sub FROM topic_subscriptions s JOIN user_groups m ON m.group_name = s.target
                    WHERE s.topic = ?1 AND s.kind = 'group'
                    ORDER BY 1
                    """,
                arguments: [topic])
        }
    }
}
