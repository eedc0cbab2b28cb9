/// The side tables of collections served from existing tables (`x-handset-table`). The existing tables themselves
/// are never altered: only triggers are added to them (`LegacyCapture`), which write to `handset_legacy_changes`.
extension MySQLCloudMigrations {
    static let legacyTableStatements: [(String, String)] = [
        (
            // One row per row of a mapped table that a device may know of: its version, the time of its last change,
            // its place in the collection's change feed, its owner (the creator's owner value where no column holds
            // one), and whether it is gone (a tombstone).
            "legacy tables: rows",
            """
            CREATE TABLE IF NOT EXISTS handset_legacy_rows (
                collection VARCHAR(64) NOT NULL,
                row_key VARCHAR(191) NOT NULL,
                version INT NOT NULL,
                updated_at VARCHAR(32) NOT NULL,
                seq BIGINT UNSIGNED NULL,
                owner VARCHAR(191) NOT NULL DEFAULT '',
                deleted TINYINT NOT NULL DEFAULT 0,
                last_device VARCHAR(400) NULL,
                PRIMARY KEY (collection, row_key),
                UNIQUE INDEX handset_legacy_rows_feed (collection, seq),
                INDEX handset_legacy_rows_feed_by_owner (collection, owner, seq),
                INDEX handset_legacy_rows_updated (collection, updated_at)
            ) \(tableOptions)
            """
        ),
        (
            // What the capture triggers write: which row of which table changed, whoever changed it. The cloud folds
            // these into handset_legacy_rows (a new version and a place in the feed) and deletes them.
            "legacy tables: changes",
            """
            CREATE TABLE IF NOT EXISTS handset_legacy_changes (
                change_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                table_name VARCHAR(64) NOT NULL,
                row_key VARCHAR(191) NOT NULL,
                INDEX handset_legacy_changes_row (table_name, row_key)
            ) \(tableOptions)
            """
        ),
    ]
}
