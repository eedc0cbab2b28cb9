import Foundation
import GRDB
import HandsetCloudStorage
import HandsetSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local cloud's SQLite database: a WAL-mode pool with append-only, named migrations. Writes go through
/// `CloudDatabaseWriter`, which acknowledges them once the WAL is on the disk (group commit).
package struct CloudDatabase: Sendable {
    package let writer: CloudDatabaseWriter

    /// Opens (creating and migrating when needed) the database file of a data directory.
    package static func open(in directory: DataDirectory) throws -> CloudDatabase {
        let path = directory.database.path
        do {
            // The database holds password verifiers: create it private. SQLite gives its -wal and -shm files the
            // database file's permissions.
            if !FileManager.default.fileExists(atPath: path) {
                try createPrivateFile(atPath: path)
            }
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            // SQLite's automatic checkpoint ran inside the commit that took the WAL past 1,000 pages, so one write in
            // a few dozen answered only after copying the log into the database file and flushing it: the slowest
            // creates. The writer's commits leave checkpoints to the checkpointer's own connection (readers never
            // commit). The acknowledgement still waits for the WAL's flush (`GroupCommit`).
            let checkpointer = WALCheckpointer(path: path)
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { checkpointer.install(on: db) }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            return CloudDatabase(writer: CloudDatabaseWriter(pool: pool, path: path, checkpointer: checkpointer))
        } catch {
            throw CloudStartupError.databaseUnavailable(path: path, reason: "\(error)")
        }
    }

    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, refresh tokens, records") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        sub TEXT PRIMARY KEY NOT NULL,
                        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        email TEXT,
                        email_verified INTEGER NOT NULL DEFAULT 0,
                        status TEXT NOT NULL,
                        srp_user_id TEXT NOT NULL,
                        srp_salt BLOB NOT NULL,
                        srp_verifier BLOB NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE user_groups (
                        user_sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
                        group_name TEXT NOT NULL,
                        PRIMARY KEY (user_sub, group_name)
                    );
                    CREATE TABLE refresh_tokens (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        user_sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
                        client_id TEXT NOT NULL,
                        auth_time INTEGER NOT NULL,
                        origin_jti TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        issued_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX refresh_tokens_by_user ON refresh_tokens(user_sub);
                    CREATE TABLE records (
                        collection TEXT NOT NULL,
                        id TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        updated_at TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        body TEXT NOT NULL CHECK (json_valid(body)),
                        PRIMARY KEY (collection, id)
                    );
                    CREATE INDEX records_by_owner ON records(collection, owner, id);
                    CREATE UNIQUE INDEX records_by_sequence ON records(seq);
                    """)
        }
        registerRecordMigrations(in: &migrator)
        registerIdentityMigrations(in: &migrator)
        registerObjectMigrations(in: &migrator)
        registerNotificationMigrations(in: &migrator)
        registerHardeningMigrations(in: &migrator)
        registerStorageMigrations(in: &migrator)
        registerHostedUIMigrations(in: &migrator)
        registerIdentityAdministrationMigrations(in: &migrator)
        registerDeviceMigrations(in: &migrator)
        registerPasswordlessMigrations(in: &migrator)
        return migrator
    }
}

private func createPrivateFile(atPath path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw POSIXFailure(operation: "create", path: path) }
    close(descriptor)
}
