import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    package func storeRefreshToken(_ token: StoredRefreshToken) async throws {
        try await database.writer.write { db in try Self.insert(token, db: db) }
    }

    package func refreshToken(hash: String) async throws -> StoredRefreshToken? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?"), arguments: [hash]
            )
            .map(Self.refreshToken(from:))
        }
    }

    /// Revokes one refresh token and, with it, the access tokens of its sign-in (they share `origin_jti`).
    package func revokeRefreshToken(hash: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE refresh_tokens SET revoked = 1 WHERE token_hash = ?", arguments: [hash])
        }
    }

    /// GlobalSignOut: revokes every refresh token of the user.
    package func revokeAllRefreshTokens(sub: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE refresh_tokens SET revoked = 1 WHERE user_sub = ?", arguments: [sub])
        }
    }

    /// Rotation: revokes `oldHash` (noting when it was rotated) and stores `replacement` atomically; false when the
    /// old token was already revoked (a replayed refresh token).
    package func rotateRefreshToken(
        oldHash: String, replacement: StoredRefreshToken, at date: Date
    ) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked = 1, rotated_at = ? WHERE token_hash = ? AND revoked = 0",
                arguments: [date.timeIntervalSince1970, oldHash])
            guard db.changesCount == 1 else { return false }
            try Self.insert(replacement, db: db)
            return true
        }
    }

    /// Reuse of a rotated token: revokes every refresh token of its sign-in (the family shares `origin_jti`), so
    /// that whichever of the thief and the user refreshed first loses the session too. Returns how many were live.
    @discardableResult
    package func revokeRefreshTokenFamily(originJti: String) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE refresh_tokens SET revoked = 1 WHERE origin_jti = ? AND revoked = 0",
                arguments: [originJti])
            return db.changesCount
        }
    }

    /// Whether the sign-in that issued a token is still live: some refresh token of it exists and is not revoked.
    package func isSignInActive(originJti: String) async throws -> Bool {
        try await database.writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE origin_jti = ? AND revoked = 0)",
                arguments: [originJti]) ?? false
        }
    }

    static func insert(_ token: StoredRefreshToken, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO refresh_tokens (
                    token_hash, user_sub, client_id, auth_time, origin_jti, event_id, issued_at, expires_at, revoked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            token.hash, token.sub, token.clientId, token.session.authTime, token.session.originJti,
            token.session.eventId, token.issuedAt, token.expiresAt, token.revoked,
        ])
    }

    private static func refreshToken(from row: Row) -> StoredRefreshToken {
        StoredRefreshToken(
            hash: row["token_hash"], sub: row["user_sub"], clientId: row["client_id"],
            session: SignInSession(authTime: row["auth_time"], originJti: row["origin_jti"], eventId: row["event_id"]),
            issuedAt: row["issued_at"], expiresAt: row["expires_at"], revoked: row["revoked"],
            rotatedAt: (row["rotated_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
