import Foundation
import HandsetCloudStorage
import HandsetMySQL

extension MySQLIdentityRepository {
    /// One transaction for everything a passed sign-in writes. The TOTP step's conditional UPDATE decides first: it
    /// locks the user's row, so of concurrent completions with one step (on any instances) one matches and the
    /// others, waiting on the lock, then match nothing and write nothing.
    package func completeSignIn(_ completion: SignInCompletion) async throws -> Bool {
        guard !completion.isEmpty else { return true }
        return try await pool.transaction { db in
            if let step = completion.totpStep {
                guard try Self.useTOTPStep(step, sub: completion.sub, db: db) else { return false }
            }
            for counter in completion.clearedCounters.inLockOrder {
                try Self.clear(counter, db: db)
            }
            if let event = completion.event { try Self.insert(event, db: db) }
            if let token = completion.refreshToken { try Self.insert(token, db: db) }
            return true
        }
    }

    /// Sets the user's last TOTP step when `step` is later; true when it was.
    static func useTOTPStep(_ step: Int64, sub: String, db: MySQLConnection) throws -> Bool {
        try db.execute(
            """
            UPDATE handset_users SET totp_last_step = ?
            WHERE sub = ? AND (totp_last_step IS NULL OR totp_last_step < ?)
            """, [.int(step), .text(sub), .int(step)]
        ).affectedRows == 1
    }

    static func clear(_ counter: LockoutCounter, db: MySQLConnection) throws {
        try db.execute(
            "DELETE FROM handset_sign_in_failures WHERE subject = ? AND kind = ?",
            [.text(counterSubject(counter.subject)), .text(counter.kind.rawValue)])
    }
}
