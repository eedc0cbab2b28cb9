import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    /// Removes what can no longer matter, so that requests from anyone (unknown users included) cannot grow the
    /// database without bound: challenge sessions past their expiry, lockout counters that are not locking and
    /// would be forgotten anyway (`policy.resetAfter` without an attempt), expired verification codes and refresh
    /// tokens. When more than `maximumFailureRows` counters remain, the oldest that lock nobody go first.
    @discardableResult
    package func purgeExpired(
        now: Date, policy: LockoutPolicy, maximumFailureRows: Int
    ) async throws -> IdentityPurgeReport {
        let time = now.timeIntervalSince1970
        return try await database.writer.write { db in
            var report = IdentityPurgeReport()
            try db.execute(sql: "DELETE FROM auth_sessions WHERE expires_at < ?", arguments: [time])
            report.sessions = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM sign_in_failures
                    WHERE (locked_until IS NULL OR locked_until < ?) AND last_attempt_at < ?
                    """,
                arguments: [time, time - policy.resetAfter])
            report.failures = db.changesCount
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sign_in_failures") ?? 0
            if remaining > maximumFailureRows {
                try db.execute(
                    sql: """
                        DELETE FROM sign_in_failures WHERE rowid IN (
                            SELECT rowid FROM sign_in_failures WHERE locked_until IS NULL OR locked_until < ?
                            ORDER BY last_attempt_at LIMIT ?)
                        """,
                    arguments: [time, remaining - maximumFailureRows])
                report.failures += db.changesCount
            }
            try db.execute(sql: "DELETE FROM verification_codes WHERE expires_at < ?", arguments: [time])
            report.codes = db.changesCount
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE expires_at < ?", arguments: [Int(time)])
            report.refreshTokens = db.changesCount
            return report
        }
    }

    /// Row counts of the tables requests can grow (for tests and diagnostics).
    package func rowCounts() async throws -> (sessions: Int, failures: Int) {
        try await database.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auth_sessions") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sign_in_failures") ?? 0
            )
        }
    }
}
