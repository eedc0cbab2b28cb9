import Foundation
import GRDB
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetStore

/// The full-text index of a first sync, filled once at its end: search finds every synced record during the sync
/// (by reading), after it (through the index), and after a kill in the middle of it and the next sync.
@Suite struct SearchIndexTests {
    func item(_ id: String, _ title: String, version: Int = 1) -> JSONValue {
        Record(
            id: id, version: version, updatedAt: "2026-11-30T10:00:00.000Z", owner: "sub-1",
            fields: ["title": .string(title)], syncState: .synced
        ).json
    }

    func page(_ range: Range<Int>) -> [JSONValue] {
        range.map { item(String(format: "t%03d", $0), "Task \($0) \(["alpha", "Doré", "beta"][$0 % 3])") }
    }

    func ids(_ store: LocalStore, _ text: String, collection: String = "tasks") throws -> [String] {
        try store.search(collection: collection, text: text, limit: 1_000).map(\.id).sorted()
    }

    @Test func aFirstSyncFillsTheIndexOnceAtItsEnd() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<30), cursor: "30", complete: false)
        #expect(try store.indexedCount() == 0, "a first sync's page was indexed row by row")
        #expect(try store.searchDeferred() == ["tasks"])
        // During the sync: found by reading, the same matches the index gives after it.
        let during = try ["alpha", "dore", "task 1", "ta", "Tas alp", "zeta"].map { try ids(store, $0) }
        #expect(during[0].count == 10 && during[1].count == 10 && during[4].count == 10)
        #expect(during[2] == ["t001"] + (10..<20).map { String(format: "t%03d", $0) })
        #expect(during[3].count == 30 && during[5].isEmpty)

        try store.applyChanges(collection: "tasks", items: page(30..<60), cursor: "60", complete: true)
        #expect(try store.indexedCount() == 60)
        #expect(try store.searchDeferred().isEmpty)
        let after = try ["alpha", "dore", "task 1", "ta", "Tas alp", "zeta"].map { try ids(store, $0) }
        #expect(after[0].count == 20 && after[1].count == 20 && after[3].count == 60 && after[5].isEmpty)
        #expect(after[2] == ["t001"] + (10..<20).map { String(format: "t%03d", $0) })
        #expect(try store.searchIndexIsSound())
    }

    @Test func searchByReadingMatchesTheIndex() throws {
        // Two stores with the same records: one searched through the index, one by reading.
        let indexed = try LocalStore()
        try indexed.createRecord(collection: "tasks", id: "local", fields: ["title": "Local"], owner: "s", now: Date())
        let deferred = try LocalStore()
        let items =
            page(0..<40) + [
                item("u1", "Ünïcode ÉTÉ naïve café"), item("u2", "snake_case and kebab-case"),
                item("u3", "numbers 12345 and v2.5"), item("u4", "日本語 テキスト"), item("u5", "ship 🚀 it"),
            ]
        try indexed.applyChanges(collection: "tasks", items: items, cursor: "1", complete: true)
        try deferred.applyChanges(collection: "tasks", items: items, cursor: "1", complete: false)
        #expect(try indexed.searchDeferred().isEmpty, "a collection with a local record is indexed row by row")
        #expect(try deferred.searchDeferred() == ["tasks"])
        for text in [
            "alpha", "Alp", "dore", "DORÉ", "task 3", "unicode", "ete naive", "cafe", "snake", "case", "kebab",
            "1234", "v2", "5", "日本語", "テキ", "ship 🚀", "🚀", "title", "nothing", "task 39 beta",
        ] {
            let fromIndex = try ids(indexed, text).filter { $0 != "local" }
            #expect(try ids(deferred, text) == fromIndex, "\(text)")
        }
    }

    @Test func editsAndDeletesDuringAFirstSyncAreSearchableAfterIt() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<20), cursor: "20", complete: false)
        try store.updateRecord(collection: "tasks", id: "t004", fields: ["title": "Renamed gamma"], now: Date())
        try store.deleteRecord(collection: "tasks", id: "t006", now: Date())
        try store.createRecord(
            collection: "tasks", id: "new", fields: ["title": "Fresh gamma"], owner: "s", now: Date())
        #expect(try ids(store, "gamma") == ["new", "t004"])
        // The server's later version of an edited record waits for the push; a deleted one stays hidden.
        try store.applyChanges(
            collection: "tasks", items: page(20..<40) + [item("t004", "Server alpha", version: 2)], cursor: "40",
            complete: true)
        #expect(try ids(store, "gamma") == ["new", "t004"])
        #expect(try !ids(store, "task 6").contains("t006"))
        #expect(try ids(store, "alpha").count == 13, "fourteen, less the one deleted")
        #expect(try store.searchIndexIsSound())
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
        // The next sync resumes from the cursor and completes.
        try restarted.applyChanges(collection: "tasks", items: page(60..<90), cursor: "90", complete: true)
        #expect(try restarted.indexedCount() == 90)
        #expect(try ids(restarted, "alpha").count == 30)
        #expect(try ids(restarted, "beta") == (0..<90).filter { $0 % 3 == 2 }.map { String(format: "t%03d", $0) })
        #expect(try restarted.searchIndexIsSound())
        // Later syncs and edits index row by row again.
        try restarted.applyChanges(
            collection: "tasks", items: [item("t090", "Late delta")], cursor: "91", complete: true)
        try restarted.updateRecord(collection: "tasks", id: "t001", fields: ["title": "Edited omega"], now: Date())
        #expect(try ids(restarted, "delta") == ["t090"])
        #expect(try ids(restarted, "omega") == ["t001"])
        #expect(try restarted.indexedCount() == 91)
        #expect(try restarted.searchIndexIsSound())
    }

    @Test func aSecondCollectionsFirstSyncIsDeferredOnItsOwn() throws {
        let store = try LocalStore()
        try store.applyChanges(collection: "tasks", items: page(0..<10), cursor: "10", complete: true)
        try store.applyChanges(
            collection: "notes", items: [item("n1", "Note alpha")], cursor: "1", complete: false)
        #expect(try store.searchDeferred() == ["notes"])
        #expect(try ids(store, "alpha") == ["t000", "t003", "t006", "t009"])
        #expect(try ids(store, "alpha", collection: "notes") == ["n1"])
        try store.applyChanges(collection: "tasks", items: [item("t010", "More alpha")], cursor: "11", complete: true)
        #expect(try ids(store, "more") == ["t010"])
        try store.applyChanges(collection: "notes", items: [], cursor: "1", complete: true)
        #expect(try store.searchDeferred().isEmpty)
        #expect(try ids(store, "alpha", collection: "notes") == ["n1"])
        #expect(try store.indexedCount() == 12)
        #expect(try store.searchIndexIsSound())
    }
}

extension LocalStore {
    /// Rows in the full-text index (FTS5 keeps one size row per indexed document).
    func indexedCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordSearch_docsize") ?? 0 }
    }

    func searchDeferred() throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT collection FROM searchDeferred ORDER BY 1") }
    }

    /// FTS5's own check of the index against the records it was built from.
    func searchIndexIsSound() throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "INSERT INTO recordSearch (recordSearch) VALUES ('integrity-check')")
        }
        return true
    }
}
