import Foundation
import GRDB
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetStore

/// A change-feed page indexed by statement (not row by row by the triggers): search finds every record a page wrote
/// as soon as its transaction commits, never a record's old words, and keeps the words of the records it left alone;
/// the index is the one the triggers would have built.
@Suite struct SearchIndexTests {
    func item(_ id: String, _ title: String, version: Int = 1) -> JSONValue {
        Record(
            id: id, version: version, updatedAt: "2026-11-30T10:00:00.000Z", owner: "sub-1",
            fields: ["title": .string(title)], syncState: .synced
        ).json
    }

    func deleted(_ id: String) -> JSONValue { [RecordField.id: .string(id), RecordField.deleted: true] }

    /// Records `range` in a shuffled order (the server's ids are in no rowid order).
    func page(_ range: Range<Int>) -> [JSONValue] {
        range.shuffled().map { item(String(format: "t%03d", $0), "Task \($0) \(["alpha", "Doré", "beta"][$0 % 3])") }
    }

    func ids(_ store: LocalStore, _ text: String, collection: String = "tasks") throws -> [String] {
        try store.search(collection: collection, text: text, limit: 1_000).map(\.id).sorted()
    }

    func names(_ indexes: some Sequence<Int>) -> [String] { indexes.map { String(format: "t%03d", $0) } }

    @Test func everyPageIsSearchableWhenItCommits() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<30), cursor: "30", complete: false)
        #expect(try store.indexedCount() == 30)
        #expect(try ids(store, "alpha") == names(stride(from: 0, to: 30, by: 3)))
        #expect(try ids(store, "dore") == names(stride(from: 1, to: 30, by: 3)))
        #expect(try ids(store, "task 1") == names([1] + Array(10..<20)))
        try store.applyChanges(collection: "tasks", items: page(30..<60), cursor: "60", complete: true)
        #expect(try ids(store, "alpha").count == 20 && ids(store, "ta").count == 60)
        #expect(try store.searchIndexMatchesRecords())
        #expect(try store.statementIndexedCollections().isEmpty)
    }

    @Test func changedAndDeletedRecordsLoseTheirOldWords() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<30), cursor: "30", complete: true)
        try store.applyChanges(
            collection: "tasks",
            items: [
                item("t000", "Renamed gamma", version: 2), deleted("t003"), item("t006", "Stale gamma", version: 0),
                item("t030", "New gamma"), item("t009", "Twice gamma", version: 2),
                item("t009", "Twice delta", version: 3),
            ], cursor: "31", complete: true)
        #expect(try ids(store, "gamma") == ["t000", "t030"], "the older version of t006 was not applied")
        #expect(try ids(store, "delta") == ["t009"])
        #expect(try ids(store, "alpha") == names([6] + Array(stride(from: 12, to: 30, by: 3))))
        #expect(try ids(store, "renamed") == ["t000"] && ids(store, "stale").isEmpty && ids(store, "twice") == ["t009"])
        #expect(try store.indexedCount() == 30)
        #expect(try store.searchIndexMatchesRecords())
    }

    @Test func recordsAPageLeavesAloneKeepTheirWords() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<10), cursor: "10", complete: true)
        try store.updateRecord(collection: "tasks", id: "t001", fields: ["title": "Mine omega"], now: Date())
        try store.createRecord(
            collection: "tasks", id: "local", fields: ["title": "Local omega"], owner: "s", now: Date())
        try store.applyChanges(
            collection: "tasks",
            items: [item("t001", "Theirs sigma", version: 2), item("t002", "Theirs sigma", version: 2)],
            cursor: "12", complete: true)
        #expect(try ids(store, "omega") == ["local", "t001"])
        #expect(try ids(store, "sigma") == ["t002"])
        #expect(try store.searchIndexMatchesRecords())
        // Other collections' writes in between are indexed by the triggers, as before.
        try store.applyChanges(collection: "notes", items: [item("n1", "Note alpha")], cursor: "1", complete: true)
        #expect(try ids(store, "alpha", collection: "notes") == ["n1"])
        #expect(try ids(store, "alpha") == ["t000", "t003", "t006", "t009"])
        #expect(try store.searchIndexMatchesRecords())
    }

    @Test func theIndexIsTheOneTheTriggersBuild() throws {
        let byPage = try LocalStore()
        let byRow = try LocalStore()
        let items =
            page(0..<40) + [
                item("u1", "Ünïcode ÉTÉ naïve café"), item("u2", "snake_case and kebab-case"), item("u3", "v2.5 12345"),
            ]
        try byPage.applyChanges(collection: "tasks", items: items, cursor: "1", complete: true)
        try byRow.replaceSyncedRecords(collection: "tasks", with: items.compactMap { Record(json: $0) })
        for text in ["alpha", "dore", "task 3", "unicode", "ete naive", "case", "v2", "1234", "title", "nothing"] {
            #expect(try ids(byPage, text) == ids(byRow, text), "\(text)")
        }
        #expect(try byPage.indexedCount() == byRow.indexedCount())
        #expect(try byPage.searchIndexMatchesRecords() && byRow.searchIndexMatchesRecords())
    }

    @Test func aKillInTheMiddleOfAFirstSyncLeavesSearchCompleteAfterTheNextSync() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cache.sqlite").path
        do {
            // The process dies after two committed pages: what is in the file is what a kill leaves.
            let store = try LocalStore(path: path)
            try store.applyChanges(collection: "tasks", items: page(0..<30), cursor: "30", complete: false)
            try store.applyChanges(collection: "tasks", items: page(30..<60), cursor: "60", complete: false)
        }
        let restarted = try LocalStore(path: path)
        #expect(try restarted.syncCursor(collection: "tasks").cursor == "60")
        #expect(try ids(restarted, "alpha").count == 20, "search after the restart, before the next sync")
        #expect(try restarted.statementIndexedCollections().isEmpty)
        try restarted.applyChanges(collection: "tasks", items: page(60..<90), cursor: "90", complete: true)
        #expect(try ids(restarted, "beta") == names(stride(from: 2, to: 90, by: 3)))
        try restarted.updateRecord(collection: "tasks", id: "t001", fields: ["title": "Edited omega"], now: Date())
        #expect(try ids(restarted, "omega") == ["t001"])
        #expect(try restarted.indexedCount() == 90)
        #expect(try restarted.searchIndexMatchesRecords())
    }
}

extension LocalStore {
    /// Rows in the full-text index (FTS5 keeps one size row per indexed document).
    func indexedCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordSearch_docsize") ?? 0 }
    }

    func statementIndexedCollections() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT collection FROM searchIndexedByStatement") }
    }

    /// Whether the full-text index holds exactly the words of the records, where they are: every (word, record,
    /// position) of the index compared with those of an index rebuilt from the records (rolled back).
    func searchIndexMatchesRecords() throws -> Bool {
        try writer.writeWithoutTransaction { db in
            try db.execute(
                sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.searchWords USING fts5vocab(main, recordSearch, instance)"
            )
            func words() throws -> [String] {
                try Row.fetchAll(db, sql: "SELECT term, doc, offset FROM temp.searchWords ORDER BY term, doc, offset")
                    .map { row in "\(row[0] as String) \(row[1] as Int64) \(row[2] as Int64)" }
            }
            let indexed = try words()
            try db.execute(sql: "SAVEPOINT rebuilt")
            try db.execute(sql: "INSERT INTO recordSearch (recordSearch) VALUES ('rebuild')")
            let rebuilt = try words()
            try db.execute(sql: "ROLLBACK TO rebuilt")
            try db.execute(sql: "RELEASE rebuilt")
            return !rebuilt.isEmpty && indexed == rebuilt
        }
    }
}
