import GRDB

/// Refresh tokens (their hashes) in the cloud's SQLite database.
struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let database: CloudDatabase

    func store(_ token: StoredRefreshToken) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO refresh_tokens (
                        token_hash, user_sub, client_id, auth_time, origin_jti, event_id, issued_at, expires_at,
                        revoked)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.hash, token.sub, token.clientId, token.session.authTime, token.session.originJti,
                    token.session.eventId, token.issuedAt, token.expiresAt, token.revoked,
                ])
        }
    }

    func token(hash: String) async throws -> StoredRefreshToken? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?", arguments: [hash]).map {
                row in
                StoredRefreshToken(
                    hash: row["token_hash"], sub: row["user_sub"], clientId: row["client_id"],
                    session: SignInSession(
                        authTime: row["auth_time"], originJti: row["origin_jti"], eventId: row["event_id"]),
                    issuedAt: row["issued_at"], expiresAt: row["expires_at"], revoked: row["revoked"])
            }
        }
    }
}
