import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// Inboxes, topics and subscriptions in MySQL/MariaDB.
///
/// Each inbox has a sequence row (`handset_sequences`, `inbox:<sub>`) that a delivery increments and keeps locked until
/// it commits, so an inbox's cursors commit in order (the records' argument, STORAGE-DESIGN.md §3). A delivery to
/// several inboxes takes their rows in ascending `sub` order, so two deliveries never deadlock each other.
package struct MySQLNotificationRepository: NotificationRepository {
    let pool: MySQLPool

    package func deliver(
        _ draft: NotificationDraft, kind: String, topic: String?, to subs: [String], at date: Date, coalescing: Bool
    ) async throws -> [InboxItem] {
        var seen: Set<String> = []
        let recipients = subs.filter { seen.insert($0).inserted }
        guard !recipients.isEmpty else { return [] }
        let ids = recipients.map { _ in UUID().uuidString.lowercased() }
        let delivered = try await pool.transaction { db -> [Int] in
            var delivered: [Int] = []
            for index in recipients.indices.sorted(by: { recipients[$0] < recipients[$1] }) {
                let sub = recipients[index]
                // The inbox's sequence row first (created at 0 when new): holding its lock, no concurrent delivery
                // to this inbox can pass the coalescing check below at the same time.
                try db.execute(
                    "INSERT INTO handset_sequences (name, value) VALUES (?, 0) ON DUPLICATE KEY UPDATE value = value",
                    [.text("inbox:\(sub)")])
                if coalescing, let link = draft.link,
                    !(try db.execute(
                        """
                        SELECT 1 FROM handset_notifications WHERE user_sub = ? AND is_read = 0 AND kind = ?
                            AND link_collection = ? AND link_id = ? LIMIT 1
                        """, [.text(sub), .text(kind), .text(link.collection), .text(link.id)]
                    ).rows.isEmpty)
                {
                    continue
                }
                let sequence = try db.execute(
                    """
                    UPDATE handset_sequences SET value = LAST_INSERT_ID(value + 1) WHERE name = ?
                    """, [.text("inbox:\(sub)")]
                ).lastInsertID
                try db.execute(
                    """
                    INSERT INTO handset_notifications (id, user_sub, seq, kind, topic, title, body, link_collection,
                        link_id, created_at, origin_device)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(ids[index]), .text(sub), .uint(sequence), .text(kind), MySQLValue(topic),
                        .text(draft.title), .text(draft.body), MySQLValue(draft.link?.collection),
                        MySQLValue(draft.link?.id), .dateTime(date), MySQLValue(draft.originDevice),
                    ])
                delivered.append(index)
            }
            return delivered
        }
        return delivered.sorted().map { index in
            InboxItem(
                id: ids[index], title: draft.title, body: draft.body, createdAt: Timestamp.string(from: date),
                read: false, kind: kind, topic: topic, link: draft.link)
        }
    }

    package func page(
        sub: String, after: Int64, limit: Int, notBefore: Date, device: String?
    ) async throws -> (items: [InboxItem], cursor: Int64?, unread: Int) {
        try await pool.withConnection { db in
            let notMine = "(origin_device IS NULL OR origin_device <> ?)"
            let rows = try db.execute(
                """
                SELECT * FROM handset_notifications WHERE user_sub = ? AND seq > ? AND created_at >= ? AND \(notMine)
                ORDER BY seq LIMIT ?
                """, [.text(sub), .int(after), .dateTime(notBefore), .text(device ?? ""), .int(Int64(limit))]
            ).rows
            let unread =
                try db.execute(
                    """
                    SELECT COUNT(*) FROM handset_notifications WHERE user_sub = ? AND is_read = 0 AND created_at >= ?
                        AND \(notMine)
                    """, [.text(sub), .dateTime(notBefore), .text(device ?? "")]
                ).rows.first?.int(0) ?? 0
            return (try rows.map(Self.item(from:)), try rows.last?.int64("seq"), unread)
        }
    }

    package func markRead(sub: String, id: String) async throws -> Bool {
        try await pool.withConnection { db in
            // CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, read already or not.
            try db.execute(
                "UPDATE handset_notifications SET is_read = 1 WHERE id = ? AND user_sub = ?", [.text(id), .text(sub)]
            ).affectedRows == 1
        }
    }

    package func markAllRead(sub: String) async throws {
        try await pool.write(
            "UPDATE handset_notifications SET is_read = 1 WHERE user_sub = ? AND is_read = 0", [.text(sub)])
    }

    @discardableResult
    package func purge(before date: Date) async throws -> Int {
        Int(
            try await pool.write("DELETE FROM handset_notifications WHERE created_at < ?", [.dateTime(date)])
                .affectedRows)
    }

    package func latestCursors(for subs: [String]) async throws -> [String: Int64] {
        let names = Array(Set(subs)).sorted()
        guard !names.isEmpty else { return [:] }
        return try await pool.withConnection { db in
            var cursors: [String: Int64] = [:]
            // Batches of a fixed size keep the statement text to one.
            let batch = 64
            for start in stride(from: 0, to: names.count, by: batch) {
                var slice = names[start..<min(start + batch, names.count)].map { MySQLValue.text("inbox:\($0)") }
                slice += Array(repeating: MySQLValue.null, count: batch - slice.count)
                let marks = Array(repeating: "?", count: batch).joined(separator: ", ")
                for row in try db.execute("SELECT name, value FROM handset_sequences WHERE name IN (\(marks))", slice)
                    .rows
                {
                    cursors[String(try row.string(0).dropFirst("inbox:".count))] = try row.int64(1)
                }
            }
            return cursors
        }
    }

    static func item(from row: MySQLRow) throws -> InboxItem {
        let collection = try row.optionalString("link_collection")
        let id = try row.optionalString("link_id")
        return InboxItem(
            id: try row.string("id"), title: try row.string("title"), body: try row.string("body"),
            createdAt: Timestamp.string(from: try row.date("created_at")), read: try row.bool("is_read"),
            kind: try row.string("kind"), topic: try row.optionalString("topic"),
            link: collection.flatMap { collection in id.map { RecordLink(collection: collection, id: $0) } })
    }

    // MARK: Users and groups (the user pool's tables)

    package func userSub(matching name: String) async throws -> String? {
        try await pool.withConnection { db in
            if let sub = try db.execute("SELECT sub FROM handset_users WHERE sub = ?", [.text(name)]).rows.first {
                return try sub.string(0)
            }
            let folded = MySQLIdentityRepository.folded(name)
            if let sub = try db.execute("SELECT sub FROM handset_users WHERE username_folded = ?", [.text(folded)])
                .rows.first
            {
                return try sub.string(0)
            }
            let byEmail = try db.execute(
                "SELECT sub FROM handset_users WHERE email_folded = ? LIMIT 2", [.text(folded)]
            ).rows
            return byEmail.count == 1 ? try byEmail[0].string(0) : nil
        }
    }

    package func assignee(matching name: String) async throws -> AssigneeMatch? {
        try await pool.withConnection { db in
            let eligible = "status = 'CONFIRMED' AND enabled = 1"
            let folded = MySQLIdentityRepository.folded(name)
            var row = try db.execute(
                "SELECT sub, username, email FROM handset_users WHERE sub = ? AND \(eligible)", [.text(name)]
            ).rows.first
            if row == nil {
                row = try db.execute(
                    "SELECT sub, username, email FROM handset_users WHERE username_folded = ? AND \(eligible)",
                    [.text(folded)]
                ).rows.first
            }
            if row == nil {
                let byEmail = try db.execute(
                    """
                    SELECT sub, username, email FROM handset_users
                    WHERE email_folded = ? AND email_verified = 1 AND \(eligible) LIMIT 2
                    """, [.text(folded)]
                ).rows
                row = byEmail.count == 1 ? byEmail.first : nil
            }
            guard let row else { return nil }
            let sub = try row.string(0)
            let groups = try db.execute(
                "SELECT group_name FROM handset_user_groups WHERE user_sub = ? ORDER BY group_name", [.text(sub)]
            ).rows.map { try $0.string(0) }
            return AssigneeMatch(
                sub: sub, username: try row.string(1), email: try row.optionalString(2), groups: groups)
        }
    }

    // MARK: Topics

    package func createTopic(_ name: String, by sub: String, at date: Date) async throws -> Bool {
        try await pool.write(
            "INSERT IGNORE INTO handset_topics (name, created_by, created_at) VALUES (?, ?, ?)",
            [.text(name), .text(sub), .dateTime(date)]
        ).affectedRows == 1
    }

    package func subscribe(topic: String, _ target: SubscriptionTarget, at date: Date) async throws -> Bool {
        try await pool.transaction { db in
            guard
                !(try db.execute("SELECT 1 FROM handset_topics WHERE name = ? FOR UPDATE", [.text(topic)]).rows
                    .isEmpty)
            else { return false }
            let (kind, value): (String, String) =
                switch target {
                case .user(let sub): ("user", sub)
                case .group(let group): ("group", group)
                }
            try db.execute(
                "INSERT IGNORE INTO handset_topic_subscriptions (topic, kind, target, created_at) VALUES (?, ?, ?, ?)",
                [.text(topic), .text(kind), .text(value), .dateTime(date)])
            return true
        }
    }

    package func subscribers(of topic: String) async throws -> [String]? {
        try await pool.withConnection { db in
            guard !(try db.execute("SELECT 1 FROM handset_topics WHERE name = ?", [.text(topic)]).rows.isEmpty)
            else { return nil }
            return try db.execute(
                """
                SELECT target AS sub FROM handset_topic_subscriptions WHERE topic = ? AND kind = 'user'
                UNION
                SELECT m.user_sub FROM handset_topic_subscriptions s
                JOIN handset_user_groups m ON m.group_name = s.target
                WHERE s.topic = ? AND s.kind = 'group'
                ORDER BY 1
                """, [.text(topic), .text(topic)]
            ).rows.map { try $0.string(0) }
        }
    }
}
