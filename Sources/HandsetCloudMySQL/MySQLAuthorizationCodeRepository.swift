import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Authorization codes in `handset_oauth_codes`; a code is used up by one conditional UPDATE, so of concurrent
/// presentations on any instance exactly one redeems it.
package struct MySQLAuthorizationCodeRepository: AuthorizationCodeRepository {
    let pool: MySQLPool

    package func store(_ grant: AuthorizationCodeGrant) async throws {
        try await pool.write(
            """
            INSERT INTO handset_oauth_codes (
                code_hash, client_id, redirect_uri, code_challenge, user_sub, scopes, nonce, auth_time, created_at,
                expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(grant.codeHash), .text(grant.clientId), .text(grant.redirectURI),
                grant.codeChallenge.map(MySQLValue.text) ?? .null, .text(grant.sub),
                .text(grant.scopes.joined(separator: " ")), grant.nonce.map(MySQLValue.text) ?? .null,
                .int(Int64(grant.authTime)), .dateTime(grant.createdAt), .dateTime(grant.expiresAt),
            ])
    }

    package func redeem(codeHash: String, now: Date) async throws -> CodeRedemption {
        try await pool.transaction { db in
            guard
                let row = try db.execute(
                    "SELECT * FROM handset_oauth_codes WHERE code_hash = ? FOR UPDATE", [.text(codeHash)]
                ).rows.first
            else { return .invalid }
            if try row.optionalDate("used_at") != nil {
                return .reused(originJti: try row.optionalString("origin_jti"))
            }
            let expiresAt = try row.date("expires_at")
            guard now < expiresAt else { return .invalid }
            let updated = try db.execute(
                "UPDATE handset_oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL",
                [.dateTime(now), .text(codeHash)])
            guard updated.affectedRows == 1 else { return .reused(originJti: nil) }
            return .redeemed(
                AuthorizationCodeGrant(
                    codeHash: codeHash, clientId: try row.string("client_id"),
                    redirectURI: try row.string("redirect_uri"),
                    codeChallenge: try row.optionalString("code_challenge"),
                    sub: try row.string("user_sub"),
                    scopes: try row.string("scopes").split(separator: " ").map(String.init),
                    nonce: try row.optionalString("nonce"), authTime: try row.int("auth_time"),
                    createdAt: try row.date("created_at"), expiresAt: expiresAt))
        }
    }

    package func noteSignIn(codeHash: String, originJti: String) async throws {
        try await pool.write(
            "UPDATE handset_oauth_codes SET origin_jti = ? WHERE code_hash = ?", [.text(originJti), .text(codeHash)])
    }

    /// Used codes are kept until they would have expired anyway, so that a reuse within that time is recognised.
    package func purge(before date: Date) async throws {
        try await pool.write("DELETE FROM handset_oauth_codes WHERE expires_at < ?", [.dateTime(date)])
    }
}

/// The OAuth facts of sign-ins in `handset_oauth_sign_ins`.
package struct MySQLOAuthSignInRepository: OAuthSignInRepository {
    let pool: MySQLPool

    package func record(_ signIn: OAuthSignIn) async throws {
        try await pool.write(
            """
            INSERT INTO handset_oauth_sign_ins (origin_jti, client_id, scopes, expires_at) VALUES (?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE client_id = VALUES(client_id), scopes = VALUES(scopes),
                expires_at = VALUES(expires_at)
            """,
            [
                .text(signIn.originJti), .text(signIn.clientId), .text(signIn.scopes.joined(separator: " ")),
                .dateTime(signIn.expiresAt),
            ])
    }

    package func signIn(originJti: String) async throws -> OAuthSignIn? {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_oauth_sign_ins WHERE origin_jti = ?", [.text(originJti)]).rows.first
                .map { row in
                    OAuthSignIn(
                        originJti: originJti, clientId: try row.string("client_id"),
                        scopes: try row.string("scopes").split(separator: " ").map(String.init),
                        expiresAt: try row.date("expires_at"))
                }
        }
    }

    package func purge(before date: Date) async throws {
        try await pool.write("DELETE FROM handset_oauth_sign_ins WHERE expires_at < ?", [.dateTime(date)])
    }
}
