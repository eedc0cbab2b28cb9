import Foundation
import GRDB
import HandsetWire

/// The notification inbox, cached so it reads offline, with the poll cursor saved in the same transaction.
extension LocalStore {
    /// Stores a page from the server and its cursor; returns the items not seen before.
    @discardableResult
    public func applyInbox(_ page: InboxPage) throws -> [InboxItem] {
        try writer.write { db in
            var fresh: [InboxItem] = []
            for item in page.items {
                let known =
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM notification WHERE id = ?", arguments: [item.id]) ?? false
                try db.execute(
                    sql: """
                        INSERT INTO notification (id, title, body, createdAt, read, kind, topic, linkCollection, linkId)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET read = excluded.read OR notification.read
                        """,
                    arguments: [
                        item.id, item.title, item.body, item.createdAt, item.read, item.kind, item.topic,
                        item.link?.collection, item.link?.id,
                    ])
                if !known { fresh.append(item) }
            }
            try db.execute(
                sql:
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [MetaKey.inboxCursor, page.cursor])
            return fresh
        }
    }

    /// The newest notifications first.
    public func notifications(limit: Int = 200) throws -> [InboxItem] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM notification ORDER BY createdAt DESC, id DESC LIMIT ?", arguments: [limit]
            )
            .map { row in
                let collection: String? = row["linkCollection"]
                let id: String? = row["linkId"]
                return InboxItem(
                    id: row["id"], title: row["title"], body: row["body"], createdAt: row["createdAt"],
                    read: row["read"],
                    kind: row["kind"], topic: row["topic"],
                    link: collection.flatMap { collection in id.map { RecordLink(collection: collection, id: $0) } })
            }
        }
    }

    public func unreadNotificationCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification WHERE NOT read") ?? 0 }
    }

    /// Marks one notification (or all, with nil) read locally.
    public func markNotificationsRead(_ id: String?) throws {
        try writer.write { db in
            if let id {
                try db.execute(sql: "UPDATE notification SET read = 1 WHERE id = ?", arguments: [id])
            } else {
                try db.execute(sql: "UPDATE notification SET read = 1")
            }
        }
    }

    public func inboxCursor() throws -> String? { try meta(MetaKey.inboxCursor) }
}
