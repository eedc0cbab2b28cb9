import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Sign-ins sent to an identity provider, in `handset_federation_requests`; claimed once by a conditional UPDATE.
package struct MySQLFederationRequestRepository: FederationRequestRepository {
    let pool: MySQLPool

    package func create(_ request: FederationRequest) async throws {
        try await pool.write(
            """
            INSERT INTO handset_federation_requests (
                state_hash, provider, nonce, code_verifier, browser_session_hash, continuation, created_at,
                expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(request.stateHash), .text(request.provider), .text(request.nonce), .text(request.codeVerifier),
                .text(request.browserSessionHash), .text(request.continuationQuery), .dateTime(request.createdAt),
                .dateTime(request.expiresAt),
            ])
    }

    package func claim(stateHash: String, now: Date) async throws -> FederationRequest? {
        try await pool.transaction { db in
            let claimed = try db.execute(
                "UPDATE handset_federation_requests SET used = 1 WHERE state_hash = ? AND used = 0 AND expires_at > ?",
                [.text(stateHash), .dateTime(now)])
            guard claimed.affectedRows == 1,
                let row = try db.execute(
                    "SELECT * FROM handset_federation_requests WHERE state_hash = ?", [.text(stateHash)]
                ).rows.first
            else { return nil }
            return FederationRequest(
                stateHash: stateHash, provider: try row.string("provider"), nonce: try row.string("nonce"),
                codeVerifier: try row.string("code_verifier"),
                browserSessionHash: try row.string("browser_session_hash"),
                continuationQuery: try row.string("continuation"), createdAt: try row.date("created_at"),
                expiresAt: try row.date("expires_at"))
        }
    }

    package func purge(before date: Date) async throws {
        try await pool.write("DELETE FROM handset_federation_requests WHERE expires_at < ?", [.dateTime(date)])
    }
}

/// Provider identities linked to pool users, in `handset_linked_identities` (removed with their user).
package struct MySQLLinkedIdentityRepository: LinkedIdentityRepository {
    let pool: MySQLPool

    package func sub(providerName: String, providerUserId: String) async throws -> String? {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT user_sub FROM handset_linked_identities WHERE provider_name = ? AND provider_user_id = ?",
                [.text(providerName), .text(providerUserId)]
            ).rows.first?.string(0)
        }
    }

    package func link(_ identity: LinkedIdentity) async throws -> Bool {
        let result = try await pool.write(
            """
            INSERT IGNORE INTO handset_linked_identities (
                provider_name, provider_user_id, provider_type, user_sub, linked_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(identity.providerName), .text(identity.providerUserId), .text(identity.providerType),
                .text(identity.sub), .dateTime(identity.linkedAt),
            ])
        return result.affectedRows == 1
    }

    package func identities(of sub: String) async throws -> [LinkedIdentity] {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT * FROM handset_linked_identities WHERE user_sub = ? ORDER BY linked_at, provider_name",
                [.text(sub)]
            ).rows.map { row in
                LinkedIdentity(
                    providerName: try row.string("provider_name"), providerType: try row.string("provider_type"),
                    providerUserId: try row.string("provider_user_id"), sub: sub, linkedAt: try row.date("linked_at"))
            }
        }
    }
}
