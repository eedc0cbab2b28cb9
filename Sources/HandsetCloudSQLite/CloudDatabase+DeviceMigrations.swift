import GRDB

extension CloudDatabase {
    /// Remembered devices (Cognito's `ConfirmDevice`), appended after every other area's migrations.
    static func registerDeviceMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity: confirmed devices") { db in
            try db.execute(
                sql: """
                    CREATE TABLE devices (
                        device_key TEXT PRIMARY KEY NOT NULL,
                        user_sub TEXT NOT NULL,
                        group_key TEXT NOT NULL,
                        srp_salt BLOB NOT NULL,
                        srp_verifier BLOB NOT NULL,
                        name TEXT,
                        remembered INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        last_modified_at REAL NOT NULL,
                        last_authenticated_at REAL
                    );
                    CREATE INDEX devices_by_user ON devices(user_sub, device_key);
                    """)
        }
    }
}
