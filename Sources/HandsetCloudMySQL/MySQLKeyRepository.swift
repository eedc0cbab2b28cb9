import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Keys in MySQL/MariaDB. Signing keys are created and rotated under the `signing-keys` row of `handset_locks`
/// (`SELECT … FOR UPDATE`), so of instances starting together exactly one creates the first key, and rotations never
/// leave two current keys. Secrets are created with `INSERT IGNORE` and read back: whichever insert won.
package struct MySQLKeyRepository: KeyRepository {
    let pool: MySQLPool

    package func signingKeys(
        creatingWith generate: @escaping @Sendable () throws -> String
    ) async throws -> [StoredSigningKey] {
        let existing = try await pool.withConnection { db in try Self.keys(db) }
        if !existing.isEmpty { return existing }
        // Made outside the transaction (an RSA key takes a while); thrown away when another instance won.
        let candidate = try generate()
        return try await pool.transaction { db in
            try Self.lockKeys(db)
            if try Self.keys(db).isEmpty {
                try db.execute(
                    "INSERT INTO handset_signing_keys (private_key, created_at, retired_at) VALUES (?, ?, NULL)",
                    [.text(candidate), .dateTime(Date())])
            }
            return try Self.keys(db)
        }
    }

    package func rotateSigningKey(to privateKeyPEM: String, at date: Date) async throws -> [StoredSigningKey] {
        try await pool.transaction { db in
            try Self.lockKeys(db)
            try db.execute(
                "UPDATE handset_signing_keys SET retired_at = ? WHERE retired_at IS NULL", [.dateTime(date)])
            try db.execute(
                "INSERT INTO handset_signing_keys (private_key, created_at, retired_at) VALUES (?, ?, NULL)",
                [.text(privateKeyPEM), .dateTime(date)])
            return try Self.keys(db)
        }
    }

    @discardableResult
    package func removeSigningKeys(retiredBefore date: Date) async throws -> Int {
        try await pool.transaction { db in
            try Self.lockKeys(db)
            return Int(
                try db.execute(
                    "DELETE FROM handset_signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?",
                    [.dateTime(date)]
                ).affectedRows)
        }
    }

    package func secret(
        named name: SecretName, creatingWith generate: @escaping @Sendable () -> [UInt8]
    ) async throws -> [UInt8] {
        try await pool.transaction { db in
            try db.execute(
                "INSERT IGNORE INTO handset_secrets (name, value) VALUES (?, ?)",
                [.text(name.rawValue), .bytes(generate())])
            guard
                let row = try db.execute("SELECT value FROM handset_secrets WHERE name = ?", [.text(name.rawValue)])
                    .rows.first
            else { throw MySQLError(.typeMismatch, message: "the secret \(name.rawValue) vanished") }
            return try row.bytes(0)
        }
    }

    private static func lockKeys(_ db: MySQLConnection) throws {
        try db.execute("SELECT name FROM handset_locks WHERE name = 'signing-keys' FOR UPDATE")
    }

    /// The current key first, then retired ones newest first.
    private static func keys(_ db: MySQLConnection) throws -> [StoredSigningKey] {
        try db.execute(
            """
            SELECT private_key, created_at, retired_at FROM handset_signing_keys
            ORDER BY retired_at IS NOT NULL, retired_at DESC, key_number DESC
            """
        ).rows.map { row in
            StoredSigningKey(
                privateKeyPEM: try row.string(0), createdAt: try row.date(1), retiredAt: try row.optionalDate(2))
        }
    }
}
