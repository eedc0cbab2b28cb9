import Foundation
import GRDB
import HandsetCloudStorage

package struct SQLiteFederationRequestRepository: FederationRequestRepository {
    let database: CloudDatabase

    package func create(_ request: FederationRequest) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO federation_requests (
                        state_hash, provider, nonce, code_verifier, browser_session_hash, continuation, created_at,
                        expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.stateHash, request.provider, request.nonce, request.codeVerifier,
                    request.browserSessionHash, request.continuationQuery, request.createdAt.timeIntervalSince1970,
                    request.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    package func claim(stateHash: String, now: Date) async throws -> FederationRequest? {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE federation_requests SET used = 1 WHERE state_hash = ? AND used = 0 AND expires_at > ?",
                arguments: [stateHash, now.timeIntervalSince1970])
            guard db.changesCount == 1,
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM federation_requests WHERE state_hash = ?", arguments: [stateHash])
            else { return nil }
            return FederationRequest(
                stateHash: stateHash, provider: row["provider"], nonce: row["nonce"],
                codeVerifier: row["code_verifier"], browserSessionHash: row["browser_session_hash"],
                continuationQuery: row["continuation"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
        }
    }

    package func purge(before date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM federation_requests WHERE expires_at < ?", arguments: [date.timeIntervalSince1970])
        }
    }
}

package struct SQLiteLinkedIdentityRepository: LinkedIdentityRepository {
    let database: CloudDatabase

    package func sub(providerName: String, providerUserId: String) async throws -> String? {
        try await database.writer.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT user_sub FROM linked_identities WHERE provider_name = ? AND provider_user_id = ?",
                arguments: [providerName, providerUserId])
        }
    }

    package func link(_ identity: LinkedIdentity) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO linked_identities (
                        provider_name, provider_user_id, provider_type, user_sub, linked_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    identity.providerName, identity.providerUserId, identity.providerType, identity.sub,
                    identity.linkedAt.timeIntervalSince1970,
                ])
            return db.changesCount == 1
        }
    }

    package func identities(of sub: String) async throws -> [LinkedIdentity] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM linked_identities WHERE user_sub = ? ORDER BY linked_at, provider_name",
                arguments: [sub]
            ).map { row in
                LinkedIdentity(
                    providerName: row["provider_name"], providerType: row["provider_type"],
                    providerUserId: row["provider_user_id"], sub: row["user_sub"],
                    linkedAt: Date(timeIntervalSince1970: row["linked_at"]))
            }
        }
    }
}
