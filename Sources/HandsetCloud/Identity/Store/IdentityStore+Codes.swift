import Foundation
import GRDB

/// Why a verification code was refused.
enum CodeCheck: Sendable, Equatable {
    case accepted
    case mismatch
    /// No code is pending, or it expired.
    case expired
}

/// What a verification code is for; one pending code per user and purpose.
enum CodePurpose: String, Sendable {
    case confirmSignUp = "confirm_sign_up"
    case forgotPassword = "forgot_password"
    case verifyEmail = "verify_email"
    case verifyPhoneNumber = "verify_phone_number"
}

extension IdentityStore {
    /// Stores a new code, replacing any pending one of the same purpose.
    func storeCode(sub: String, purpose: CodePurpose, code: String, expiresAt: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO verification_codes (user_sub, purpose, code_hash, expires_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_sub, purpose) DO UPDATE SET
                        code_hash = excluded.code_hash, expires_at = excluded.expires_at
                    """,
                arguments: [
                    sub, purpose.rawValue, OneTimeCode.hash(code, context: sub), expiresAt.timeIntervalSince1970,
                ])
        }
    }

    /// Checks a code and, when it matches, consumes it (a code works once).
    func consumeCode(sub: String, purpose: CodePurpose, code: String, now: Date) async throws -> CodeCheck {
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
            guard OneTimeCode.matches(code, hash: row["code_hash"], context: sub) else { return .mismatch }
            try db.execute(
                sql: "DELETE FROM verification_codes WHERE user_sub = ? AND purpose = ?",
                arguments: [sub, purpose.rawValue])
            return .accepted
        }
    }
}
