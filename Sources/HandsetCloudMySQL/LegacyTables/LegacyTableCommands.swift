import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// What `handset-cloud serve --database --api`, `capture` and `schema import` do to a database, each on a small
/// pool of its own.
package enum LegacyTableCommands {
    /// Sets up change capture for the mapped tables (the cloud's tables migrated first): a line per thing done.
    package static func installCapture(
        _ configuration: MySQLConfiguration, mappings: [LegacyTableMapping]
    ) async throws -> [String] {
        try await withPool(configuration) { pool in
            _ = try await MySQLCloudMigrations.migrator.migrate(pool)
            return try await LegacyCapture.install(pool, mappings: mappings).lines
        }
    }

    /// Drops the capture triggers of these tables and their pending entries: a line per table.
    package static func removeCapture(_ configuration: MySQLConfiguration, tables: [String]) async throws -> [String] {
        try await withPool(configuration) { pool in
            let migrated = try await MySQLCloudMigrations.migrator.appliedMigrations(pool)
            guard migrated.contains("legacy tables: changes") else {
                return tables.map { "capture: \($0): nothing to remove (the cloud's tables are not in this database)" }
            }
            return try await LegacyCapture.remove(pool, tables: tables).lines
        }
    }

    /// The API document `schema import` writes for these tables.
    package static func importSchema(_ configuration: MySQLConfiguration, tables: [String]) async throws -> JSONValue {
        try await withPool(configuration) { pool in try await LegacySchemaImporter.document(pool, tables: tables) }
    }

    private static func withPool<Value>(
        _ configuration: MySQLConfiguration, _ body: (MySQLPool) async throws -> Value
    ) async throws -> Value {
        var configuration = configuration
        configuration.sessionIsolation = .readCommitted
        let pool = MySQLPool(configuration: configuration, options: MySQLPoolOptions(maximumConnections: 2))
        do {
            let value = try await body(pool)
            await pool.close()
            return value
        } catch {
            await pool.close()
            throw error
        }
    }
}
