import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// The record API's migrations (named `api: ...`), appended after the skeleton's.
    static func registerRecordMigrations(in migrator: inout DatabaseMigrator) {
        // Rebuilds `records` around an INTEGER PRIMARY KEY, so that the full-text index can point at rows by a key
        // that VACUUM never renumbers; adds the write sequence counter, the full-text index and idempotency keys.
        migrator.registerMigration("api: records with a stable key, sequence, full-text search, idempotency keys") {
            db in
            try db.execute(
                sql: """
                    CREATE TABLE records_new (
                        key INTEGER PRIMARY KEY,
                        collection TEXT NOT NULL,
                        id TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        updated_at TEXT NOT NULL,
                        seq INTEGER NOT NULL UNIQUE,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
                        UNIQUE (collection, id)
                    );
                    INSERT INTO records_new (collection, id, owner, version, updated_at, seq, deleted, body)
                        SELECT collection, id, owner, version, updated_at, seq, deleted, body FROM records ORDER BY seq;
                    DROP TABLE records;
                    ALTER TABLE records_new RENAME TO records;
                    CREATE INDEX records_by_owner ON records(collection, owner, id) WHERE deleted = 0;
                    CREATE INDEX records_changes ON records(collection, seq);
                    CREATE INDEX records_changes_by_owner ON records(collection, owner, seq);

                    -- One counter for every write: change feeds order by it, and it never goes back even if rows
                    -- are purged one day.
                    CREATE TABLE record_sequence (
                        name TEXT PRIMARY KEY NOT NULL,
                        value INTEGER NOT NULL
                    );
                    INSERT INTO record_sequence (name, value) SELECT 'records', COALESCE(MAX(seq), 0) FROM records;

                    -- Every text value of a live record's body, for `q`. Kept by triggers, in the same transaction.
                    CREATE VIRTUAL TABLE record_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
                    CREATE TRIGGER record_search_insert AFTER INSERT ON records WHEN new.deleted = 0 BEGIN
                        INSERT INTO record_search (rowid, text)
                            VALUES (new.key, (SELECT group_concat(value, ' ') FROM json_each(new.body)
                                              WHERE type = 'text'));
                    END;
                    CREATE TRIGGER record_search_update AFTER UPDATE OF body, deleted ON records BEGIN
                        DELETE FROM record_search WHERE rowid = old.key;
                        INSERT INTO record_search (rowid, text)
                            SELECT new.key, (SELECT group_concat(value, ' ') FROM json_each(new.body)
                                             WHERE type = 'text')
                            WHERE new.deleted = 0;
                    END;
                    CREATE TRIGGER record_search_delete AFTER DELETE ON records BEGIN
                        DELETE FROM record_search WHERE rowid = old.key;
                    END;
                    INSERT INTO record_search (rowid, text)
                        SELECT key, (SELECT group_concat(value, ' ') FROM json_each(records.body) WHERE type = 'text')
                        FROM records WHERE deleted = 0;

                    -- The first answer to each caller's Idempotency-Key, stored in the transaction of its write.
                    CREATE TABLE idempotency_keys (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        headers TEXT NOT NULL,
                        body TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (scope, key)
                    );
                    CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at);
                    """)
        }
    }
}
