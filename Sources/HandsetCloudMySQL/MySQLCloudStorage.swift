import Foundation
import HandsetCloudStorage
import HandsetMySQL
import Logging

/// The MariaDB/MySQL backend: every store in one database (tables prefixed `handset_`), shared by any number of
/// instances. Object bytes, logs and `amplify_outputs.json` stay in each instance's data directory.
package enum MySQLCloudStorage {
    /// Connects, applies missing migrations (one instance at a time, under the migrator's lock) and returns the
    /// storage. Sessions run at READ COMMITTED: no gap locks, so concurrent inserts of different ids never wait for
    /// each other.
    package static func open(
        _ configuration: MySQLConfiguration, options: MySQLPoolOptions = MySQLPoolOptions(maximumConnections: 16),
        logger: Logger? = nil
    ) async throws -> CloudStorage {
        try await open(configuration, options: options, logger: logger, requireExisting: false)
    }

    /// The storage of a database that `open` (a served instance) has set up already, for the admin commands: a
    /// database without the cloud's tables is refused untouched, so that a mistyped name creates nothing.
    package static func openExisting(
        _ configuration: MySQLConfiguration, options: MySQLPoolOptions = MySQLPoolOptions(maximumConnections: 2),
        logger: Logger? = nil
    ) async throws -> CloudStorage {
        try await open(configuration, options: options, logger: logger, requireExisting: true)
    }

    private static func open(
        _ configuration: MySQLConfiguration, options: MySQLPoolOptions, logger: Logger?, requireExisting: Bool
    ) async throws -> CloudStorage {
        var configuration = configuration
        configuration.sessionIsolation = .readCommitted
        guard let name = configuration.database else {
            throw MySQLError(.invalidURL, message: "database URL: name a database (mysql://USER@HOST/DB)")
        }
        let pool = MySQLPool(configuration: configuration, options: options, logger: logger)
        let migrator = MySQLCloudMigrations.migrator
        do {
            if requireExisting, try await migrator.appliedMigrations(pool).isEmpty {
                throw CloudStartupError.databaseUnavailable(
                    path: configuration.redactedURL,
                    reason: "no handset-cloud tables in database \(name) (start `handset-cloud serve --database` first)"
                )
            }
            try await migrator.migrate(pool)
            let lengths = try await pool.withConnection { db -> ClosedRange<Int> in
                let row = try db.execute("SELECT @@innodb_ft_min_token_size, @@innodb_ft_max_token_size").rows.first
                let lower = try row?.int(0) ?? 3
                let upper = try row?.int(1) ?? 84
                return lower...max(lower, upper)
            }
            var storage = CloudStorage(
                records: MySQLRecordRouter(
                    records: MySQLRecordRepository(pool: pool, indexedWordLengths: lengths),
                    tables: MySQLLegacyRecordRepository(pool: pool)),
                identity: MySQLIdentityRepository(pool: pool),
                notifications: MySQLNotificationRepository(pool: pool),
                objects: MySQLObjectRepository(pool: pool),
                keys: MySQLKeyRepository(pool: pool),
                settings: MySQLSettingsRepository(pool: pool),
                leases: MySQLLeaseRepository(pool: pool),
                mailbox: MySQLMailboxRepository(pool: pool),
                hostedUI: HostedUIStores(
                    codes: MySQLAuthorizationCodeRepository(pool: pool),
                    signIns: MySQLOAuthSignInRepository(pool: pool),
                    sessions: MySQLBrowserSessionRepository(pool: pool), devices: MySQLDeviceCodeRepository(pool: pool),
                    federation: MySQLFederationRequestRepository(pool: pool),
                    identities: MySQLLinkedIdentityRepository(pool: pool)),
                description: configuration.redactedURL,
                checkReady: {
                    guard try await migrator.isComplete(pool) else { throw StorageNotReady.migrationsIncomplete }
                },
                close: { await pool.close() })
            storage.poolSample = {
                let statistics = pool.statistics
                return DatabasePoolSample(
                    inUse: statistics.leased, idle: statistics.idle, waiting: statistics.waiting,
                    size: statistics.maximumConnections)
            }
            return storage
        } catch {
            await pool.close()
            throw error
        }
    }
}
