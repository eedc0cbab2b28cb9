import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    package func createSession(_ session: ChallengeSession, clearing counters: [LockoutCounter]) async throws {
        let state = session.state.encoded
        try await database.writer.write { db in
            for counter in counters.inLockOrder { try Self.clear(counter, db: db) }
            try db.cachedStatement(
                sql: """
                    INSERT INTO auth_sessions (
                        id_hash, client_id, username, user_sub, challenge, state, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                session.idHash, session.clientId, session.username, session.userSub, session.challenge, state,
                session.createdAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970,
            ])
        }
    }

    /// Takes a session for answering: atomically marks it used and returns it, or `nil` when it is unknown,
    /// expired or already taken. Of two concurrent answers with one session, exactly one gets it.
    package func claimSession(idHash: String, now: Date) async throws -> ChallengeSession? {
        try await database.writer.write { db in try Self.claim(idHash: idHash, now: now, db: db) }
    }

    /// Claims and counts in one transaction; a locked counter gives the claim back before the transaction ends, so
    /// nothing is written.
    package func claimSession(
        idHash: String, now: Date, countingAttempt counter: @escaping @Sendable (ChallengeSession) -> LockoutCounter?,
        policy: LockoutPolicy
    ) async throws -> SessionClaim {
        try await database.writer.write { db in
            guard let session = try Self.claim(idHash: idHash, now: now, db: db) else { return .unavailable }
            if let counter = counter(session),
                case .locked(let until) = try Self.countAttempt(
                    subject: counter.subject, kind: counter.kind, now: now, policy: policy, db: db)
            {
                try Self.release(idHash: idHash, db: db)
                return .locked(until: until)
            }
            return .claimed(session)
        }
    }

    static func claim(idHash: String, now: Date, db: Database) throws -> ChallengeSession? {
        // Old sessions are dropped on the way; nothing else needs them.
        try db.cachedStatement(sql: "DELETE FROM auth_sessions WHERE expires_at < ?").execute(arguments: [
            now.timeIntervalSince1970 - 3600
        ])
        try db.cachedStatement(
            sql: "UPDATE auth_sessions SET used = 1 WHERE id_hash = ? AND used = 0 AND expires_at > ?"
        ).execute(arguments: [idHash, now.timeIntervalSince1970])
        guard db.changesCount == 1,
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM auth_sessions WHERE id_hash = ?"), arguments: [idHash])
        else { return nil }
        let stateText: String = row["state"]
        return ChallengeSession(
            idHash: row["id_hash"], clientId: row["client_id"], username: row["username"],
            userSub: row["user_sub"], challenge: row["challenge"],
            state: ChallengeState(encoded: stateText),
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
    }

    /// Gives a claimed session back after a wrong code, so the user may try again until it expires (the lockout
    /// counter limits how often).
    package func releaseSession(idHash: String) async throws {
        try await database.writer.write { db in try Self.release(idHash: idHash, db: db) }
    }

    static func release(idHash: String, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE auth_sessions SET used = 0 WHERE id_hash = ?").execute(arguments: [idHash])
    }
}
