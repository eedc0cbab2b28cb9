import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Settings documents in `handset_settings`, created once (`INSERT IGNORE`, then read back what won).
package struct MySQLSettingsRepository: SettingsRepository {
    let pool: MySQLPool

    package func document(
        _ name: SettingsName, creatingWith initial: @escaping @Sendable () throws -> Data
    ) async throws -> Data {
        if let stored = try await read(name) { return stored }
        let candidate = try initial()
        return try await pool.transaction { db in
            try db.execute(
                "INSERT IGNORE INTO handset_settings (name, document, updated_at) VALUES (?, ?, ?)",
                [.text(name.rawValue), .text(String(decoding: candidate, as: UTF8.self)), .dateTime(Date())])
            guard
                let row = try db.execute("SELECT document FROM handset_settings WHERE name = ?", [.text(name.rawValue)])
                    .rows.first
            else { throw MySQLError(.typeMismatch, message: "the \(name.rawValue) settings vanished") }
            return Data(try row.string(0).utf8)
        }
    }

    package func replaceDocument(_ name: SettingsName, with data: Data) async throws {
        try await pool.write(
            """
            INSERT INTO handset_settings (name, document, updated_at) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE document = VALUES(document), updated_at = VALUES(updated_at)
            """, [.text(name.rawValue), .text(String(decoding: data, as: UTF8.self)), .dateTime(Date())])
    }

    /// The row locked `FOR UPDATE` while `change` runs, so that concurrent updates from several instances queue.
    package func updateDocument(
        _ name: SettingsName, _ change: @escaping @Sendable (Data) throws -> Data
    ) async throws -> Data {
        try await pool.transaction { db in
            guard
                let row = try db.execute(
                    "SELECT document FROM handset_settings WHERE name = ? FOR UPDATE", [.text(name.rawValue)]
                ).rows.first
            else { throw MySQLError(.typeMismatch, message: "no \(name.rawValue) settings to change") }
            let updated = try change(Data(try row.string(0).utf8))
            try db.execute(
                "UPDATE handset_settings SET document = ?, updated_at = ? WHERE name = ?",
                [.text(String(decoding: updated, as: UTF8.self)), .dateTime(Date()), .text(name.rawValue)])
            return updated
        }
    }

    /// A database round trip is not cheap enough to ask at every request: callers poll `document`.
    package func changedDocument(_ name: SettingsName, since stamp: String?) -> (data: Data, stamp: String)? {
        nil
    }

    package var watchesChanges: Bool { false }

    private func read(_ name: SettingsName) async throws -> Data? {
        try await pool.withConnection { db in
            try db.execute("SELECT document FROM handset_settings WHERE name = ?", [.text(name.rawValue)]).rows.first
                .map { Data(try $0.string(0).utf8) }
        }
    }
}
