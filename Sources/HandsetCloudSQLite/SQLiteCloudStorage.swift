import Foundation
import GRDB
import HandsetCloudStorage

/// The embedded backend: one SQLite file in the data directory (records, identity, notifications, object rows,
/// periodic runs), keys and settings as files beside it, the mailbox as a JSON-lines file.
package enum SQLiteCloudStorage {
    /// Opens the storage of a data directory, creating the directory and migrating the database when needed.
    package static func open(directory url: URL) throws -> CloudStorage {
        let directory = try DataDirectory.prepare(at: url)
        let database = try CloudDatabase.open(in: directory)
        return CloudStorage(
            records: SQLiteRecordRepository(database: database),
            identity: SQLiteIdentityRepository(database: database),
            notifications: SQLiteNotificationRepository(database: database),
            objects: SQLiteObjectRepository(database: database),
            keys: FileKeyRepository(directory: directory),
            settings: FileSettingsRepository(directory: directory),
            leases: SQLiteLeaseRepository(database: database),
            mailbox: MailboxFile(url: directory.mailbox),
            hostedUI: HostedUIStores(
                codes: SQLiteAuthorizationCodeRepository(database: database),
                signIns: SQLiteOAuthSignInRepository(database: database),
                sessions: SQLiteBrowserSessionRepository(database: database),
                devices: SQLiteDeviceCodeRepository(database: database),
                federation: SQLiteFederationRequestRepository(database: database),
                identities: SQLiteLinkedIdentityRepository(database: database)),
            description: "sqlite \(directory.database.path)",
            checkReady: {
                // Another process on the same file, or an older build, could have left migrations behind.
                let migrated = try await database.writer.read { db in
                    try CloudDatabase.migrator.hasCompletedMigrations(db)
                }
                guard migrated else { throw StorageNotReady.migrationsIncomplete }
            },
            close: { try? database.writer.close() })
    }

    /// The storage of an existing data directory, for the admin commands: never creates one.
    package static func openExisting(directory url: URL) throws -> CloudStorage {
        let directory = DataDirectory(root: url)
        guard FileManager.default.fileExists(atPath: directory.database.path) else {
            throw CloudStartupError.dataDirectoryUnavailable(
                path: directory.root.path, reason: "no handset-cloud database in it (start `handset-cloud serve` first)"
            )
        }
        return try open(directory: url)
    }
}
