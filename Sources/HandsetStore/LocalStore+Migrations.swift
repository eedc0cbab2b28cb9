import GRDB

extension LocalStore {
    /// Append-only, named migrations. Never edit one that has shipped; add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: records and meta") { db in
            try db.create(table: "record") { table in
                table.column("collection", .text).notNull()
                table.column("id", .text).notNull()
                table.column("version", .integer).notNull()
                table.column("updatedAt", .text).notNull()
                table.column("owner", .text).notNull()
                table.column("body", .text).notNull()
                table.column("syncState", .text).notNull().defaults(to: "synced")
                table.primaryKey(["collection", "id"])
            }
            try db.create(table: "meta") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v2: outbox, sync cursors, conflicts") { db in
            // The last body the server confirmed: the base of a three-way merge.
            try db.alter(table: "record") { table in
                table.add(column: "baseBody", .text)
                table.add(column: "locallyDeleted", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "outbox") { table in
                table.autoIncrementedPrimaryKey("sequence")
                table.column("collection", .text).notNull()
                table.column("recordId", .text).notNull()
                table.column("operation", .text).notNull()
                table.column("body", .text)
                table.column("baseVersion", .integer)
                table.column("state", .text).notNull().defaults(to: "queued")
                table.column("lastError", .text)
                table.column("createdAt", .double).notNull()
            }
            try db.create(index: "outbox_by_record", on: "outbox", columns: ["collection", "recordId"])
            try db.create(table: "syncCursor") { table in
                table.primaryKey("collection", .text)
                table.column("cursor", .text)
                table.column("complete", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "conflict") { table in
                table.column("collection", .text).notNull()
                table.column("recordId", .text).notNull()
                table.column("base", .text)
                table.column("mine", .text)
                table.column("theirs", .text)
                table.column("detectedAt", .double).notNull()
                table.primaryKey(["collection", "recordId"])
            }
        }
        migrator.registerMigration("v3: full-text search") { db in
            // Kept in step with `record` by triggers GRDB creates; the JSON body is indexed as text.
            try db.create(virtualTable: "recordSearch", using: FTS5()) { table in
                table.synchronize(withTable: "record")
                table.tokenizer = .unicode61()
                table.column("body")
            }
        }
        migrator.registerMigration("v4: notifications") { db in
            try db.create(table: "notification") { table in
                table.primaryKey("id", .text)
                table.column("title", .text).notNull()
                table.column("body", .text).notNull()
                table.column("createdAt", .text).notNull()
                table.column("read", .boolean).notNull()
                table.column("kind", .text).notNull()
                table.column("topic", .text)
                table.column("linkCollection", .text)
                table.column("linkId", .text)
            }
            try db.create(index: "notification_by_time", on: "notification", columns: ["createdAt"])
        }
        migrator.registerMigration("v5: live-record counts and windows from an index") { db in
            // The list's total (COUNT of live records) and its id-ordered windows read this index alone instead of
            // every row of the collection (at 100k records: ~5 ms instead of ~200 ms on a cold start).
            try db.execute(sql: "CREATE INDEX record_live ON record(collection, locallyDeleted, id)")
        }
        migrator.registerMigration("v6: the status of a refused write") { db in
            // 403 (no rule lets this user) and 400 (the fields are wrong) ask different things of the person.
            try db.alter(table: "outbox") { table in
                table.add(column: "rejectedStatus", .integer)
            }
        }
        migrator.registerMigration("v7: a change-feed page indexed by statement, not row by row") { db in
            // FTS5 flushes its pending terms at every statement savepoint, so GRDB's triggers, whose insert into the
            // index is a statement of its own for every row, wrote a segment of the index per row, and its
            // automatic merges rewrote them over and over (most of the time of applying a page). These triggers do
            // the same, except for the collection a write names in `searchIndexedByStatement` for the length of its
            // transaction (`applyChanges`), which indexes its rows itself; they reindex an updated row only when its
            // body was written.
            try db.create(table: "searchIndexedByStatement") { table in table.primaryKey("collection", .text) }
            try db.execute(
                sql: """
                    DROP TRIGGER "__recordSearch_ai";
                    DROP TRIGGER "__recordSearch_ad";
                    DROP TRIGGER "__recordSearch_au";
                    CREATE TRIGGER recordSearch_insert AFTER INSERT ON record
                    WHEN NOT EXISTS (SELECT 1 FROM searchIndexedByStatement WHERE collection = new.collection) BEGIN
                        INSERT INTO recordSearch (rowid, body) VALUES (new.rowid, new.body);
                    END;
                    CREATE TRIGGER recordSearch_delete AFTER DELETE ON record
                    WHEN NOT EXISTS (SELECT 1 FROM searchIndexedByStatement WHERE collection = old.collection) BEGIN
                        INSERT INTO recordSearch (recordSearch, rowid, body) VALUES ('delete', old.rowid, old.body);
                    END;
                    CREATE TRIGGER recordSearch_update AFTER UPDATE OF body ON record
                    WHEN NOT EXISTS (SELECT 1 FROM searchIndexedByStatement WHERE collection = old.collection) BEGIN
                        INSERT INTO recordSearch (recordSearch, rowid, body) VALUES ('delete', old.rowid, old.body);
                        INSERT INTO recordSearch (rowid, body) VALUES (new.rowid, new.body);
                    END;
                    """)
        }
        return migrator
    }
}
