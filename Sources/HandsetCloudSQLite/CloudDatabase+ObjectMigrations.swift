import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// Object storage's migrations (named `objects: ...`). Times are seconds since 1970 (REAL), from the injected
    /// clock.
    static func registerObjectMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("objects: stored objects with tier, restore and attachment state") { db in
            try db.execute(
                sql: """
                    -- One row per complete upload; a row exists only once its file is in place.
                    CREATE TABLE objects (
                        key TEXT PRIMARY KEY NOT NULL,
                        collection TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        file TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        content_type TEXT NOT NULL,
                        etag TEXT NOT NULL,
                        tier TEXT NOT NULL DEFAULT 'STANDARD' CHECK (tier IN ('STANDARD', 'GLACIER')),
                        attached INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL,
                        archived_at REAL,
                        restore_ready_at REAL,
                        restore_expires_at REAL
                    );
                    CREATE INDEX objects_by_record ON objects(collection, record_id);
                    CREATE INDEX objects_by_tier_age ON objects(tier, created_at);
                    """)
        }
    }
}
