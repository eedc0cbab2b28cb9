import Foundation
import GRDB
import HandsetCloudStorage

extension SQLiteIdentityRepository {
    /// Stores a new code, replacing any pending one of the same purpose.
    package func storeCode(sub: String, purpose: CodePurpose, codeHash: String, expiresAt: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO verification_codes (user_sub, purpose, code_hash, expires_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_sub, purpose) DO UPDATE SET
                        code_hash = excluded.code_hash, expires_at = excluded.expires_at
                    """,
                arguments: [
                    sub, purpose.rawValue, codeHash, expiresAt.timeIntervalSince1970,
                ])
        }
    }

    /// Checks a code and, when it matches, consumes it (a code works once).
    package func consumeCode(sub: String, purpose: CodePurpose, codeHash: String, now: Date) async throws -> CodeCheck {
        try await database.writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM verification_codes WHERE user_sub = ? AND purpose = ?",
                    arguments: [sub, purpose.rawValue])
            else { return .expired }
            let expiresAt: Double = row["expires_at"]
            guard now.timeIntervalSince1970 < expiresAt else {
                try db.execute(
                    sql: "DELETE FROM verification_codes WHERE user_sub = ? AND purpose = ?",
                    arguments: [sub, purpose.rawValue])
                return .expired
            }
            let stored: String = row["code_hash"]
            guard ConstantTime.equals(Array(stored.utf8), Array(codeHash.utf8)) else { return .mismatch }
            try db.execute(
                sql: "DELETE FROM verification_codes WHERE user_sub = ? AND purpose = ?",
                arguments: [sub, purpose.rawValue])
            return .accepted
        }
    }
}
