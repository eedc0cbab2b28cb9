import GRDB

extension CloudDatabase {
    /// Group roles and sign-in events (issue 18), registered after the earlier identity migrations.
    static func registerIdentityAdministrationMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity: group roles, sign-in events") { db in
            try db.execute(
                sql: """
                    ALTER TABLE user_pool_groups ADD COLUMN role_arn TEXT;
                    CREATE TABLE auth_events (
                        event_id TEXT PRIMARY KEY NOT NULL,
                        user_sub TEXT NOT NULL,
                        event_type TEXT NOT NULL,
                        response TEXT NOT NULL,
                        challenges TEXT NOT NULL,
                        client_id TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX auth_events_by_user ON auth_events(user_sub, created_at, event_id);
                    """)
        }
    }

    /// Users signed up without a password (issue 18), registered after the device migrations.
    static func registerPasswordlessMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity: passwordless users") { db in
            try db.execute(sql: "ALTER TABLE users ADD COLUMN passwordless INTEGER NOT NULL DEFAULT 0")
        }
    }
}
