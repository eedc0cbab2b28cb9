import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    /// Counts an attempt before its credential is checked, in one transaction.
    ///
    /// Counting first is what makes parallel attempts safe: of many concurrent wrong passwords, exactly as many are
    /// checked as the policy allows (the fifth sets the lock before the sixth is looked at) and every checked one is
    /// counted. A correct credential then clears the counter (`attemptSucceeded`).
    package func beginAttempt(
        subject: String, kind: LockoutKind, now: Date, policy: LockoutPolicy
    ) async throws
        -> AttemptDecision
    {
        try await database.writer.write { db in
            try Self.countAttempt(subject: subject, kind: kind, now: now, policy: policy, db: db)
        }
    }

    /// `beginAttempt` inside the caller's transaction.
    static func countAttempt(
        subject: String, kind: LockoutKind, now: Date, policy: LockoutPolicy, db: Database
    ) throws -> AttemptDecision {
        let time = now.timeIntervalSince1970
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM sign_in_failures WHERE subject = ? AND kind = ?"),
            arguments: [subject, kind.rawValue])
        var failures: Int = row?["failures"] ?? 0
        let lockedUntil: Double? = row?["locked_until"]
        let lastAttempt: Double = row?["last_attempt_at"] ?? time
        if let lockedUntil, time < lockedUntil {
            return .locked(until: Date(timeIntervalSince1970: lockedUntil))
        }
        if time - lastAttempt >= policy.resetAfter { failures = 0 }
        failures += 1
        let lock = policy.lockDuration(afterFailures: failures).map { time + $0 }
        try db.cachedStatement(
            sql: """
                INSERT INTO sign_in_failures (subject, kind, failures, locked_until, last_attempt_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (subject, kind) DO UPDATE SET
                    failures = excluded.failures, locked_until = excluded.locked_until,
                    last_attempt_at = excluded.last_attempt_at
                """
        ).execute(arguments: [subject, kind.rawValue, failures, lock, time])
        return .allowed
    }

    /// A correct credential: the counter and any lock it set start over. A counter that is not there (nothing
    /// counted, or cleared already) is left alone without a write transaction and its wait for the disk; a parallel
    /// wrong attempt that counts meanwhile stays counted, as it does when it counts after the clear.
    package func attemptSucceeded(subject: String, kind: LockoutKind) async throws {
        let counted = try await database.writer.read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM sign_in_failures WHERE subject = ? AND kind = ?)"),
                arguments: [subject, kind.rawValue]) ?? false
        }
        guard counted else { return }
        try await database.writer.write { db in try Self.clear(LockoutCounter(subject, kind), db: db) }
    }

    /// The end of a running lockout, without counting anything.
    package func lockedUntil(subject: String, kind: LockoutKind, now: Date) async throws -> Date? {
        try await database.writer.read { db in
            let until = try Double.fetchOne(
                db.cachedStatement(sql: "SELECT locked_until FROM sign_in_failures WHERE subject = ? AND kind = ?"),
                arguments: [subject, kind.rawValue])
            guard let until, now.timeIntervalSince1970 < until else { return nil }
            return Date(timeIntervalSince1970: until)
        }
    }

    /// The failures counted so far (for tests and `AdminGetUser`-style diagnostics).
    package func failureCount(subject: String, kind: LockoutKind) async throws -> Int {
        try await database.writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT failures FROM sign_in_failures WHERE subject = ? AND kind = ?",
                arguments: [subject, kind.rawValue]) ?? 0
        }
    }
}
