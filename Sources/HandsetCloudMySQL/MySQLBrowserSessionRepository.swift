import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Browser sessions of managed login in `handset_hosted_ui_sessions`; a change reads the row `FOR UPDATE` and
/// writes it back in one transaction.
package struct MySQLBrowserSessionRepository: BrowserSessionRepository {
    let pool: MySQLPool

    package func create(_ session: BrowserSession) async throws {
        try await pool.write(
            """
            INSERT INTO handset_hosted_ui_sessions (
                id_hash, csrf_token, user_sub, auth_time, pending, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(session.idHash), .text(session.csrfToken), session.sub.map(MySQLValue.text) ?? .null,
                session.authTime.map { .int(Int64($0)) } ?? .null, try Self.encode(session.pending),
                .dateTime(session.createdAt), .dateTime(session.expiresAt),
            ])
    }

    package func session(idHash: String, now: Date) async throws -> BrowserSession? {
        try await pool.withConnection { db in try Self.live(idHash: idHash, now: now, db: db, lock: false) }
    }

    package func update(
        idHash: String, now: Date, _ change: @Sendable @escaping (inout BrowserSession) -> Void
    ) async throws -> BrowserSession? {
        try await pool.transaction { db in
            guard var session = try Self.live(idHash: idHash, now: now, db: db, lock: true) else { return nil }
            change(&session)
            try db.execute(
                """
                UPDATE handset_hosted_ui_sessions SET csrf_token = ?, user_sub = ?, auth_time = ?, pending = ?,
                    expires_at = ?
                WHERE id_hash = ?
                """,
                [
                    .text(session.csrfToken), session.sub.map(MySQLValue.text) ?? .null,
                    session.authTime.map { .int(Int64($0)) } ?? .null, try Self.encode(session.pending),
                    .dateTime(session.expiresAt), .text(idHash),
                ])
            return session
        }
    }

    package func delete(idHash: String) async throws {
        try await pool.write("DELETE FROM handset_hosted_ui_sessions WHERE id_hash = ?", [.text(idHash)])
    }

    package func purge(before date: Date) async throws {
        try await pool.write("DELETE FROM handset_hosted_ui_sessions WHERE expires_at < ?", [.dateTime(date)])
    }

    private static func live(idHash: String, now: Date, db: MySQLConnection, lock: Bool) throws -> BrowserSession? {
        guard
            let row = try db.execute(
                "SELECT * FROM handset_hosted_ui_sessions WHERE id_hash = ? AND expires_at > ?"
                    + (lock ? " FOR UPDATE" : ""), [.text(idHash), .dateTime(now)]
            ).rows.first
        else { return nil }
        return BrowserSession(
            idHash: idHash, csrfToken: try row.string("csrf_token"), sub: try row.optionalString("user_sub"),
            authTime: try row.optionalInt64("auth_time").map(Int.init),
            pending: try row.optionalString("pending").flatMap {
                try? JSONDecoder().decode(PendingSignIn.self, from: Data($0.utf8))
            },
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
    }

    private static func encode(_ pending: PendingSignIn?) throws -> MySQLValue {
        guard let pending else { return .null }
        return .text(String(decoding: try JSONEncoder().encode(pending), as: UTF8.self))
    }
}
