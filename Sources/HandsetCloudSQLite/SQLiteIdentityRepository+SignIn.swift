import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    /// One write transaction for everything a passed sign-in writes; the TOTP step's conditional UPDATE decides
    /// first, and when it matches nothing the transaction ends without a write.
    package func completeSignIn(_ completion: SignInCompletion) async throws -> Bool {
        guard !completion.isEmpty else { return true }
        return try await database.writer.write { db in
            if let step = completion.totpStep {
                try Self.useTOTPStep(step, sub: completion.sub, db: db)
                guard db.changesCount == 1 else { return false }
            }
            for counter in completion.clearedCounters.inLockOrder {
                try Self.clear(counter, db: db)
            }
            if let event = completion.event { try Self.insert(event, db: db) }
            if let token = completion.refreshToken { try Self.insert(token, db: db) }
            return true
        }
    }

    /// Sets the user's last TOTP step when `step` is later; `db.changesCount` is 1 when it was.
    static func useTOTPStep(_ step: Int64, sub: String, db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE users SET totp_last_step = ?
                WHERE sub = ? AND (totp_last_step IS NULL OR totp_last_step < ?)
                """
        ).execute(arguments: [step, sub, step])
    }

    static func clear(_ counter: LockoutCounter, db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM sign_in_failures WHERE subject = ? AND kind = ?").execute(
            arguments: [counter.subject, counter.kind.rawValue])
    }
}
