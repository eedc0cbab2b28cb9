import Foundation
import GRDB
import HandsetCloudStorage

package struct SQLiteAuthorizationCodeRepository: AuthorizationCodeRepository {
    let database: CloudDatabase

    package func store(_ grant: AuthorizationCodeGrant) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO oauth_authorization_codes (
                        code_hash, client_id, redirect_uri, code_challenge, user_sub, scopes, nonce, auth_time,
                        created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    grant.codeHash, grant.clientId, grant.redirectURI, grant.codeChallenge, grant.sub,
                    grant.scopes.joined(separator: " "), grant.nonce, grant.authTime,
                    grant.createdAt.timeIntervalSince1970, grant.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    package func redeem(codeHash: String, now: Date) async throws -> CodeRedemption {
        try await database.writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM oauth_authorization_codes WHERE code_hash = ?", arguments: [codeHash])
            else { return .invalid }
            if row["used_at"] as Double? != nil { return .reused(originJti: row["origin_jti"]) }
            let expiresAt: Double = row["expires_at"]
            guard now.timeIntervalSince1970 < expiresAt else { return .invalid }
            try db.execute(
                sql: "UPDATE oauth_authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
                arguments: [now.timeIntervalSince1970, codeHash])
            guard db.changesCount == 1 else { return .reused(originJti: nil) }
            let scopes: String = row["scopes"]
            return .redeemed(
                AuthorizationCodeGrant(
                    codeHash: codeHash, clientId: row["client_id"], redirectURI: row["redirect_uri"],
                    codeChallenge: row["code_challenge"], sub: row["user_sub"],
                    scopes: scopes.split(separator: " ").map(String.init), nonce: row["nonce"],
                    authTime: row["auth_time"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    expiresAt: Date(timeIntervalSince1970: expiresAt)))
        }
    }

    package func noteSignIn(codeHash: String, originJti: String) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE oauth_authorization_codes SET origin_jti = ? WHERE code_hash = ?",
                arguments: [originJti, codeHash])
        }
    }

    /// Used codes are kept until they would have expired anyway, so that a reuse within that time is recognised.
    package func purge(before date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM oauth_authorization_codes WHERE expires_at < ?",
                arguments: [date.timeIntervalSince1970])
        }
    }
}

package struct SQLiteOAuthSignInRepository: OAuthSignInRepository {
    let database: CloudDatabase

    package func record(_ signIn: OAuthSignIn) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO oauth_sign_ins (origin_jti, client_id, scopes, expires_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [
                    signIn.originJti, signIn.clientId, signIn.scopes.joined(separator: " "),
                    signIn.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    package func signIn(originJti: String) async throws -> OAuthSignIn? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM oauth_sign_ins WHERE origin_jti = ?", arguments: [originJti])
                .map { row in
                    let scopes: String = row["scopes"]
                    return OAuthSignIn(
                        originJti: originJti, clientId: row["client_id"],
                        scopes: scopes.split(separator: " ").map(String.init),
                        expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
                }
        }
    }

    package func purge(before date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM oauth_sign_ins WHERE expires_at < ?", arguments: [date.timeIntervalSince1970])
        }
    }
}
