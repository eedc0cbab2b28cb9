import Crypto
import Foundation
import HandsetCloudStorage
import HandsetMySQL

extension MySQLIdentityRepository {
    // MARK: Challenge sessions

    package func createSession(_ session: ChallengeSession, clearing counters: [LockoutCounter]) async throws {
        let state = session.state.encoded
        try await pool.transaction { db in
            for counter in counters.inLockOrder { try Self.clear(counter, db: db) }
            try db.execute(
                """
                INSERT INTO handset_auth_sessions
                    (id_hash, client_id, username, user_sub, challenge, state, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(session.idHash), .text(session.clientId), .text(session.username),
                    MySQLValue(session.userSub), .text(session.challenge), .text(state),
                    .dateTime(session.createdAt), .dateTime(session.expiresAt),
                ])
        }
    }

    /// The conditional UPDATE decides: of concurrent claims on any instances, only one matches `used = 0`.
    package func claimSession(idHash: String, now: Date) async throws -> ChallengeSession? {
        try await pool.transaction { db in try Self.claim(idHash: idHash, now: now, db: db) }
    }

    /// Claims, then counts under the counter row's lock, in one transaction; a locked counter gives the claim back
    /// before the transaction ends.
    package func claimSession(
        idHash: String, now: Date, countingAttempt counter: @escaping @Sendable (ChallengeSession) -> LockoutCounter?,
        policy: LockoutPolicy
    ) async throws -> SessionClaim {
        try await pool.transaction { db in
            guard let session = try Self.claim(idHash: idHash, now: now, db: db) else { return .unavailable }
            if let counter = counter(session),
                case .locked(let until) = try Self.countAttempt(
                    subject: counter.subject, kind: counter.kind, now: now, policy: policy, db: db)
            {
                try db.execute("UPDATE handset_auth_sessions SET used = 0 WHERE id_hash = ?", [.text(idHash)])
                return .locked(until: until)
            }
            return .claimed(session)
        }
    }

    static func claim(idHash: String, now: Date, db: MySQLConnection) throws -> ChallengeSession? {
        try db.execute(
            "DELETE FROM handset_auth_sessions WHERE expires_at < ?", [.dateTime(now.addingTimeInterval(-3600))])
        let matched = try db.execute(
            "UPDATE handset_auth_sessions SET used = 1 WHERE id_hash = ? AND used = 0 AND expires_at > ?",
            [.text(idHash), .dateTime(now)]
        ).affectedRows
        guard matched == 1,
            let row = try db.execute("SELECT * FROM handset_auth_sessions WHERE id_hash = ?", [.text(idHash)])
                .rows.first
        else { return nil }
        return ChallengeSession(
            idHash: try row.string("id_hash"), clientId: try row.string("client_id"),
            username: try row.string("username"), userSub: try row.optionalString("user_sub"),
            challenge: try row.string("challenge"), state: ChallengeState(encoded: try row.string("state")),
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
    }

    package func releaseSession(idHash: String) async throws {
        try await pool.write("UPDATE handset_auth_sessions SET used = 0 WHERE id_hash = ?", [.text(idHash)])
    }

    // MARK: Verification codes

    package func storeCode(sub: String, purpose: CodePurpose, codeHash: String, expiresAt: Date) async throws {
        try await pool.write(
            """
            INSERT INTO handset_verification_codes (user_sub, purpose, code_hash, expires_at) VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE code_hash = VALUES(code_hash), expires_at = VALUES(expires_at)
            """, [.text(sub), .text(purpose.rawValue), .text(codeHash), .dateTime(expiresAt)])
    }

    package func consumeCode(sub: String, purpose: CodePurpose, codeHash: String, now: Date) async throws -> CodeCheck {
        try await pool.transaction { db in
            let key: [MySQLValue] = [.text(sub), .text(purpose.rawValue)]
            guard
                let row = try db.execute(
                    "SELECT code_hash, expires_at FROM handset_verification_codes WHERE user_sub = ? AND purpose = ? "
                        + "FOR UPDATE", key
                ).rows.first
            else { return .expired }
            guard now < (try row.date(1)) else {
                try db.execute("DELETE FROM handset_verification_codes WHERE user_sub = ? AND purpose = ?", key)
                return .expired
            }
            guard ConstantTime.equals(Array(try row.string(0).utf8), Array(codeHash.utf8)) else { return .mismatch }
            try db.execute("DELETE FROM handset_verification_codes WHERE user_sub = ? AND purpose = ?", key)
            return .accepted
        }
    }

    // MARK: Refresh tokens

    package func storeRefreshToken(_ token: StoredRefreshToken) async throws {
        try await pool.transaction { db in try Self.insert(token, db: db) }
    }

    package func refreshToken(hash: String) async throws -> StoredRefreshToken? {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_refresh_tokens WHERE token_hash = ?", [.text(hash)]).rows.first
                .map(Self.refreshToken(from:))
        }
    }

    package func revokeRefreshToken(hash: String) async throws {
        try await pool.write("UPDATE handset_refresh_tokens SET revoked = 1 WHERE token_hash = ?", [.text(hash)])
    }

    package func revokeAllRefreshTokens(sub: String) async throws {
        try await pool.write("UPDATE handset_refresh_tokens SET revoked = 1 WHERE user_sub = ?", [.text(sub)])
    }

    package func rotateRefreshToken(
        oldHash: String, replacement: StoredRefreshToken, at date: Date
    ) async throws -> Bool {
        try await pool.transaction { db in
            let matched = try db.execute(
                "UPDATE handset_refresh_tokens SET revoked = 1, rotated_at = ? WHERE token_hash = ? AND revoked = 0",
                [.dateTime(date), .text(oldHash)]
            ).affectedRows
            guard matched == 1 else { return false }
            try Self.insert(replacement, db: db)
            return true
        }
    }

    @discardableResult
    package func revokeRefreshTokenFamily(originJti: String) async throws -> Int {
        Int(
            try await pool.write(
                "UPDATE handset_refresh_tokens SET revoked = 1 WHERE origin_jti = ? AND revoked = 0",
                [.text(originJti)]
            ).affectedRows)
    }

    package func isSignInActive(originJti: String) async throws -> Bool {
        try await pool.withConnection { db in
            !(try db.execute(
                "SELECT 1 FROM handset_refresh_tokens WHERE origin_jti = ? AND revoked = 0 LIMIT 1", [.text(originJti)]
            ).rows.isEmpty)
        }
    }

    static func insert(_ token: StoredRefreshToken, db: MySQLConnection) throws {
        try db.execute(
            """
            INSERT INTO handset_refresh_tokens (token_hash, user_sub, client_id, auth_time, origin_jti, event_id,
                issued_at, expires_at, revoked)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(token.hash), .text(token.sub), .text(token.clientId), .int(Int64(token.session.authTime)),
                .text(token.session.originJti), .text(token.session.eventId), .int(Int64(token.issuedAt)),
                .int(Int64(token.expiresAt)), MySQLValue(token.revoked),
            ])
    }

    private static func refreshToken(from row: MySQLRow) throws -> StoredRefreshToken {
        StoredRefreshToken(
            hash: try row.string("token_hash"), sub: try row.string("user_sub"), clientId: try row.string("client_id"),
            session: SignInSession(
                authTime: try row.int("auth_time"), originJti: try row.string("origin_jti"),
                eventId: try row.string("event_id")),
            issuedAt: try row.int("issued_at"), expiresAt: try row.int("expires_at"), revoked: try row.bool("revoked"),
            rotatedAt: try row.optionalDate("rotated_at"))
    }

    // MARK: Lockout

    /// The key of a subject's counter row. Subjects are typed usernames too, of any length: one longer than the
    /// column holds is kept as U+0001 and its SHA-256 (hex). No subject kept as is starts with U+0001 (those are
    /// hashed as well), so two subjects never share a counter.
    static func counterSubject(_ subject: String) -> String {
        guard subject.unicodeScalars.count > 160 || subject.unicodeScalars.first == "\u{1}" else { return subject }
        let digest = SHA256.hash(data: Data(subject.utf8))
        return "\u{1}" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Counted under the counter row's lock: the upsert creates or locks the row, so attempts on every instance
    /// take turns, and each sees the count the one before left.
    package func beginAttempt(
        subject: String, kind: LockoutKind, now: Date, policy: LockoutPolicy
    ) async throws -> AttemptDecision {
        try await pool.transaction { db in
            try Self.countAttempt(subject: subject, kind: kind, now: now, policy: policy, db: db)
        }
    }

    /// `beginAttempt` inside the caller's transaction.
    static func countAttempt(
        subject: String, kind: LockoutKind, now: Date, policy: LockoutPolicy, db: MySQLConnection
    ) throws -> AttemptDecision {
        let key: [MySQLValue] = [.text(Self.counterSubject(subject)), .text(kind.rawValue)]
        try db.execute(
            """
            INSERT INTO handset_sign_in_failures (subject, kind, failures, locked_until, last_attempt_at)
            VALUES (?, ?, 0, NULL, ?) ON DUPLICATE KEY UPDATE failures = failures
            """, key + [.dateTime(now)])
        guard
            let row = try db.execute(
                "SELECT failures, locked_until, last_attempt_at FROM handset_sign_in_failures "
                    + "WHERE subject = ? AND kind = ? FOR UPDATE", key
            ).rows.first
        else { throw MySQLError(.typeMismatch, message: "the lockout counter vanished") }
        var failures = try row.int(0)
        if let lockedUntil = try row.optionalDate(1), now < lockedUntil { return .locked(until: lockedUntil) }
        if now.timeIntervalSince(try row.date(2)) >= policy.resetAfter { failures = 0 }
        failures += 1
        let lock = policy.lockDuration(afterFailures: failures).map { now.addingTimeInterval($0) }
        try db.execute(
            """
            UPDATE handset_sign_in_failures SET failures = ?, locked_until = ?, last_attempt_at = ?
            WHERE subject = ? AND kind = ?
            """, [.int(Int64(failures)), lock.map { .dateTime($0) } ?? .null, .dateTime(now)] + key)
        return .allowed
    }

    /// A counter that is not there is left alone without a write transaction (see the SQLite backend's).
    package func attemptSucceeded(subject: String, kind: LockoutKind) async throws {
        guard try await failureCount(subject: subject, kind: kind) > 0 else { return }
        try await pool.transaction { db in try Self.clear(LockoutCounter(subject, kind), db: db) }
    }

    package func lockedUntil(subject: String, kind: LockoutKind, now: Date) async throws -> Date? {
        try await pool.withConnection { db in
            guard
                let until = try db.execute(
                    "SELECT locked_until FROM handset_sign_in_failures WHERE subject = ? AND kind = ?",
                    [.text(Self.counterSubject(subject)), .text(kind.rawValue)]
                ).rows.first?.optionalDate(0), now < until
            else { return nil }
            return until
        }
    }

    package func failureCount(subject: String, kind: LockoutKind) async throws -> Int {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT failures FROM handset_sign_in_failures WHERE subject = ? AND kind = ?",
                [.text(Self.counterSubject(subject)), .text(kind.rawValue)]
            ).rows.first?.int(0) ?? 0
        }
    }

    // MARK: Purge

    @discardableResult
    package func purgeExpired(
        now: Date, policy: LockoutPolicy, maximumFailureRows: Int
    ) async throws -> IdentityPurgeReport {
        try await pool.transaction { db in
            var report = IdentityPurgeReport()
            report.sessions = Int(
                try db.execute("DELETE FROM handset_auth_sessions WHERE expires_at < ?", [.dateTime(now)]).affectedRows)
            report.failures = Int(
                try db.execute(
                    """
                    DELETE FROM handset_sign_in_failures
                    WHERE (locked_until IS NULL OR locked_until < ?) AND last_attempt_at < ?
                    """, [.dateTime(now), .dateTime(now.addingTimeInterval(-policy.resetAfter))]
                ).affectedRows)
            let remaining = try db.execute("SELECT COUNT(*) FROM handset_sign_in_failures").rows.first?.int(0) ?? 0
            if remaining > maximumFailureRows {
                report.failures += Int(
                    try db.execute(
                        """
                        DELETE FROM handset_sign_in_failures WHERE locked_until IS NULL OR locked_until < ?
                        ORDER BY last_attempt_at LIMIT ?
                        """, [.dateTime(now), .int(Int64(remaining - maximumFailureRows))]
                    ).affectedRows)
            }
            report.codes = Int(
                try db.execute("DELETE FROM handset_verification_codes WHERE expires_at < ?", [.dateTime(now)])
                    .affectedRows)
            report.refreshTokens = Int(
                try db.execute(
                    "DELETE FROM handset_refresh_tokens WHERE expires_at < ?", [.int(Int64(now.timeIntervalSince1970))]
                ).affectedRows)
            return report
        }
    }

    package func rowCounts() async throws -> (sessions: Int, failures: Int) {
        try await pool.withConnection { db in
            (
                try db.execute("SELECT COUNT(*) FROM handset_auth_sessions").rows.first?.int(0) ?? 0,
                try db.execute("SELECT COUNT(*) FROM handset_sign_in_failures").rows.first?.int(0) ?? 0
            )
        }
    }
}
