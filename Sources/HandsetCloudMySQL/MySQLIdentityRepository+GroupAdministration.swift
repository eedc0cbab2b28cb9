import Foundation
import HandsetCloudStorage
import HandsetMySQL

extension MySQLIdentityRepository {
    @discardableResult
    package func updateGroup(
        named name: String, _ change: @Sendable @escaping (inout PoolGroup) throws -> Void
    ) async throws -> PoolGroup {
        try await pool.transaction { db in
            guard
                let row = try db.execute("SELECT * FROM handset_groups WHERE name = ? FOR UPDATE", [.text(name)]).rows
                    .first
            else { throw IdentityRepositoryFailure.groupNotFound }
            let existing = try Self.group(from: row)
            var group = existing
            try change(&group)
            try db.execute(
                "UPDATE handset_groups SET description = ?, precedence = ?, role_arn = ?, updated_at = ? WHERE name = ?",
                [
                    MySQLValue(group.description), MySQLValue(group.precedence), MySQLValue(group.roleArn),
                    .dateTime(group.updatedAt), .text(name),
                ])
            group.name = existing.name
            group.createdAt = existing.createdAt
            return group
        }
    }

    package func deleteGroup(named name: String) async throws {
        try await pool.transaction { db in
            guard try db.execute("DELETE FROM handset_groups WHERE name = ?", [.text(name)]).affectedRows == 1 else {
                throw IdentityRepositoryFailure.groupNotFound
            }
            try db.execute("DELETE FROM handset_user_groups WHERE group_name = ?", [.text(name)])
        }
    }

    package func users(inGroup name: String, after afterUsername: String?, limit: Int) async throws -> [PoolUser] {
        try await pool.withConnection { db in
            guard try Self.group(named: name, db: db) != nil else { throw IdentityRepositoryFailure.groupNotFound }
            return try db.execute(
                """
                SELECT u.* FROM handset_users u JOIN handset_user_groups m ON m.user_sub = u.sub
                WHERE m.group_name = ? AND u.username_folded > ? ORDER BY u.username_folded LIMIT ?
                """,
                [.text(name), .text(Self.folded(afterUsername ?? "")), .int(Int64(limit))]
            ).rows.map { try Self.user(from: $0, db: db) }
        }
    }

    // MARK: Sign-in events

    package func recordAuthEvent(_ event: AuthEvent) async throws {
        try await pool.transaction { db in try Self.insert(event, db: db) }
    }

    /// Adds an event and drops the user's oldest beyond `AuthEvent.retained`, inside the caller's transaction.
    static func insert(_ event: AuthEvent, db: MySQLConnection) throws {
        try db.execute(
            """
            INSERT INTO handset_auth_events (event_id, user_sub, event_type, response, challenges, client_id,
                created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(event.eventId), .text(event.sub), .text(event.type), .text(event.response.rawValue),
                .text(event.challengesText), MySQLValue(event.clientId), .dateTime(event.createdAt),
            ])
        // Each user keeps their newest events only: the oldest beyond the limit go.
        let old = try db.execute(
            """
            SELECT event_id FROM handset_auth_events WHERE user_sub = ?
            ORDER BY created_at DESC, event_id DESC LIMIT 10 OFFSET ?
            """,
            [.text(event.sub), .int(Int64(AuthEvent.retained))]
        ).rows
        for row in old {
            try db.execute(
                "DELETE FROM handset_auth_events WHERE event_id = ?", [.text(try row.string("event_id"))])
        }
    }

    package func authEvents(sub: String, before: AuthEventCursor?, limit: Int) async throws -> [AuthEvent] {
        try await pool.withConnection { db in
            let rows: [MySQLRow]
            if let before {
                rows = try db.execute(
                    """
                    SELECT * FROM handset_auth_events
                    WHERE user_sub = ? AND (created_at < ? OR (created_at = ? AND event_id < ?))
                    ORDER BY created_at DESC, event_id DESC LIMIT ?
                    """,
                    [
                        .text(sub), .dateTime(before.createdAt), .dateTime(before.createdAt), .text(before.eventId),
                        .int(Int64(limit)),
                    ]
                ).rows
            } else {
                rows = try db.execute(
                    """
                    SELECT * FROM handset_auth_events WHERE user_sub = ?
                    ORDER BY created_at DESC, event_id DESC LIMIT ?
                    """,
                    [.text(sub), .int(Int64(limit))]
                ).rows
            }
            return try rows.map { row in
                AuthEvent(
                    eventId: try row.string("event_id"), sub: try row.string("user_sub"),
                    type: try row.string("event_type"),
                    response: AuthEvent.Response(rawValue: try row.string("response")) ?? .fail,
                    challenges: AuthEvent.challenges(fromText: try row.string("challenges")),
                    clientId: try row.optionalString("client_id"), createdAt: try row.date("created_at"))
            }
        }
    }
}
