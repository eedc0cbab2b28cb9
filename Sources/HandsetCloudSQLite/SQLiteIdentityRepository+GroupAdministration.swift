import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    @discardableResult
    package func updateGroup(
        named name: String, _ change: @Sendable @escaping (inout PoolGroup) throws -> Void
    ) async throws -> PoolGroup {
        try await database.writer.write { db in
            guard let existing = try Self.group(named: name, db: db) else {
                throw IdentityRepositoryFailure.groupNotFound
            }
            var group = existing
            try change(&group)
            try db.execute(
                sql: """
                    UPDATE user_pool_groups SET description = ?, precedence = ?, role_arn = ?, updated_at = ?
                    WHERE name = ?
                    """,
                arguments: [
                    group.description, group.precedence, group.roleArn, group.updatedAt.timeIntervalSince1970, name,
                ])
            group.name = existing.name
            group.createdAt = existing.createdAt
            return group
        }
    }

    package func deleteGroup(named name: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM user_pool_groups WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { throw IdentityRepositoryFailure.groupNotFound }
            try db.execute(sql: "DELETE FROM user_groups WHERE group_name = ?", arguments: [name])
        }
    }

    package func users(inGroup name: String, after afterUsername: String?, limit: Int) async throws -> [PoolUser] {
        try await database.writer.read { db in
            guard try Self.group(named: name, db: db) != nil else { throw IdentityRepositoryFailure.groupNotFound }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT u.* FROM users u JOIN user_groups m ON m.user_sub = u.sub
                    WHERE m.group_name = ? AND u.username > ? COLLATE NOCASE
                    ORDER BY u.username COLLATE NOCASE LIMIT ?
                    """,
                arguments: [name, afterUsername ?? "", limit]
            ).map { try Self.user(from: $0, db: db) }
        }
    }

    // MARK: Sign-in events

    package func recordAuthEvent(_ event: AuthEvent) async throws {
        try await database.writer.write { db in try Self.insert(event, db: db) }
    }

    /// Adds an event and drops the user's oldest beyond `AuthEvent.retained`, inside the caller's transaction.
    static func insert(_ event: AuthEvent, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO auth_events (event_id, user_sub, event_type, response, challenges, client_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            event.eventId, event.sub, event.type, event.response.rawValue, event.challengesText,
            event.clientId, Self.microseconds(event.createdAt),
        ])
        // Each user keeps their newest events only.
        try db.cachedStatement(
            sql: """
                DELETE FROM auth_events WHERE user_sub = ? AND event_id NOT IN (
                    SELECT event_id FROM auth_events WHERE user_sub = ?
                    ORDER BY created_at DESC, event_id DESC LIMIT ?)
                """
        ).execute(arguments: [event.sub, event.sub, AuthEvent.retained])
    }

    /// Event times are kept to the microsecond, as on MySQL (`DATETIME(6)`), so that a position read back from an
    /// event compares equal to the stored time.
    static func microseconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000
    }

    package func authEvents(sub: String, before: AuthEventCursor?, limit: Int) async throws -> [AuthEvent] {
        try await database.writer.read { db in
            let time = before.map { Self.microseconds($0.createdAt) } ?? .infinity
            let id = before?.eventId ?? ""
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM auth_events
                    WHERE user_sub = ? AND (created_at < ? OR (created_at = ? AND event_id < ?) OR ? = 0)
                    ORDER BY created_at DESC, event_id DESC LIMIT ?
                    """,
                arguments: [sub, time, time, id, before == nil ? 0 : 1, limit]
            ).map { row in
                AuthEvent(
                    eventId: row["event_id"], sub: row["user_sub"], type: row["event_type"],
                    response: AuthEvent.Response(rawValue: row["response"]) ?? .fail,
                    challenges: AuthEvent.challenges(fromText: row["challenges"]), clientId: row["client_id"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]))
            }
        }
    }
}
