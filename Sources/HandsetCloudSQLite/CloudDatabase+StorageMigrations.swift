import Foundation
import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// Migrations of the storage split (issue 13), registered last.
    static func registerStorageMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("storage: the device of a record's last write") { db in
            try db.execute(sql: "ALTER TABLE records ADD COLUMN last_device TEXT")
        }
        // `q` searches the words that `SearchWords` cuts and folds (the same on every backend), kept by the record
        // repository in each write's transaction. The words are plain ASCII-or-not runs separated by spaces, so
        // FTS5's `ascii` tokenizer (which splits on ASCII punctuation and spaces only) keeps them as they are.
        migrator.registerMigration("storage: search words cut by SearchWords") { db in
            try db.execute(
                sql: """
                    DROP TRIGGER IF EXISTS record_search_insert;
                    DROP TRIGGER IF EXISTS record_search_update;
                    DROP TRIGGER IF EXISTS record_search_delete;
                    DROP TABLE IF EXISTS record_search;
                    CREATE VIRTUAL TABLE record_words USING fts5(words, tokenize = 'ascii');
                    """)
            let insert = try db.makeStatement(sql: "INSERT INTO record_words (rowid, words) VALUES (?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT key, body FROM records WHERE deleted = 0")
            while let row = try rows.next() {
                let key: Int64 = row[0]
                let body: String = row[1]
                try insert.execute(arguments: [key, SearchWords.document(ofBodyText: body)])
            }
        }
        migrator.registerMigration("storage: periodic runs") { db in
            try db.execute(
                sql: """
                    -- When each periodic task last ran (seconds since 1970), so that it runs once per interval.
                    CREATE TABLE periodic_runs (
                        name TEXT PRIMARY KEY NOT NULL,
                        last_run_at REAL NOT NULL,
                        holder TEXT NOT NULL
                    );
                    """)
        }
    }
}
