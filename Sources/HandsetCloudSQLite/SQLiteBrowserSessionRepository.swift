import Foundation
import GRDB
import HandsetCloudStorage

package struct SQLiteBrowserSessionRepository: BrowserSessionRepository {
    let database: CloudDatabase

    package func create(_ session: BrowserSession) async throws {
        let pending = try Self.encode(session.pending)
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO hosted_ui_sessions (
                        id_hash, csrf_token, user_sub, auth_time, pending, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.idHash, session.csrfToken, session.sub, session.authTime, pending,
                    session.createdAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    package func session(idHash: String, now: Date) async throws -> BrowserSession? {
        try await database.writer.read { db in try Self.live(idHash: idHash, now: now, db: db) }
    }

    package func update(
        idHash: String, now: Date, _ change: @Sendable @escaping (inout BrowserSession) -> Void
    ) async throws -> BrowserSession? {
        try await database.writer.write { db in
            guard var session = try Self.live(idHash: idHash, now: now, db: db) else { return nil }
            change(&session)
            try db.execute(
                sql: """
                    UPDATE hosted_ui_sessions SET csrf_token = ?, user_sub = ?, auth_time = ?, pending = ?,
                        expires_at = ?
                    WHERE id_hash = ?
                    """,
                arguments: [
                    session.csrfToken, session.sub, session.authTime, try Self.encode(session.pending),
                    session.expiresAt.timeIntervalSince1970, idHash,
                ])
            return session
        }
    }

    package func delete(idHash: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM hosted_ui_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    package func purge(before date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM hosted_ui_sessions WHERE expires_at < ?", arguments: [date.timeIntervalSince1970])
        }
    }

    private static func live(idHash: String, now: Date, db: Database) throws -> BrowserSession? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM hosted_ui_sessions WHERE id_hash = ? AND expires_at > ?",
                arguments: [idHash, now.timeIntervalSince1970])
        else { return nil }
        let pending: String? = row["pending"]
        return BrowserSession(
            idHash: idHash, csrfToken: row["csrf_token"], sub: row["user_sub"], authTime: row["auth_time"],
            pending: pending.flatMap { try? JSONDecoder().decode(PendingSignIn.self, from: Data($0.utf8)) },
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
    }

    private static func encode(_ pending: PendingSignIn?) throws -> String? {
        try pending.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    }
}
