import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// The notification inbox's migrations (named `notify: ...`). Times are seconds since 1970 (REAL), from the
    /// injected clock.
    static func registerNotificationMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notify: inbox, topics, subscriptions, record event state") { db in
            try db.execute(
                sql: """
                    -- Every user's inbox; `seq` is the cursor (one counter for all, never reused).
                    CREATE TABLE notifications (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        user_sub TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        topic TEXT,
                        title TEXT NOT NULL,
                        body TEXT NOT NULL,
                        link_collection TEXT,
                        link_id TEXT,
                        created_at REAL NOT NULL,
                        read INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX notifications_by_user ON notifications(user_sub, seq);
                    CREATE INDEX notifications_unread ON notifications(user_sub, created_at) WHERE read = 0;
                    CREATE INDEX notifications_by_age ON notifications(created_at);

                    CREATE TABLE topics (
                        name TEXT PRIMARY KEY NOT NULL,
                        created_by TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE topic_subscriptions (
                        topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
                        target TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (topic, kind, target)
                    );

                    -- What record events compare with: the device of the last write and the user assigned.
                    CREATE TABLE record_event_state (
                        collection TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        device TEXT,
                        assignee TEXT,
                        PRIMARY KEY (collection, record_id)
                    );
                    """)
        }
        // Record events compare with the record before the write and with devices kept in memory, which costs a
        // write no extra transaction.
        migrator.registerMigration("notify: drop record_event_state") { db in
            try db.execute(sql: "DROP TABLE record_event_state")
        }
        migrator.registerMigration("notify: the device a notification is about") { db in
            try db.execute(sql: "ALTER TABLE notifications ADD COLUMN origin_device TEXT")
        }
    }
}
