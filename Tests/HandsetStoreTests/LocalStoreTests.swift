import Foundation
import HandsetModel
import Testing

@testable import HandsetStore

@Suite struct LocalStoreTests {
    func record(_ id: String, title: String, state: SyncState = .synced) -> Record {
        Record(
            id: id, version: 1, updatedAt: "2026-11-27T10:00:00.000Z", owner: "sub-1",
            fields: ["title": .string(title)],
            syncState: state)
    }

    @Test func aPulledPageKeepsRecordsWithLocalEdits() throws {
        let store = try LocalStore()
        try store.applyChanges(
            collection: "tasks", items: [record("a", title: "A").json, record("b", title: "B").json], cursor: "2",
            complete: true)
        // A pending local edit must survive a refresh from the server.
        try store.updateRecord(collection: "tasks", id: "a", fields: ["title": "Mine"], now: Date())
        try store.applyChanges(
            collection: "tasks", items: [record("a", title: "Theirs").json, record("c", title: "C").json],
            cursor: "4", complete: true)
        let records = try store.records(collection: "tasks")
        #expect(records.map(\.id) == ["a", "b", "c"])
        #expect(records[0].fields["title"] == "Mine" && records[0].syncState == .pending)
        #expect(try store.recordCount(collection: "tasks") == 3)
        #expect(try store.recordCount(collection: "projects") == 0)
    }

    @Test func theCachedSchemaFollowsItsDocument() throws {
        let store = try LocalStore()
        #expect(store.cachedSchema() == nil)
        func document(_ collection: String) -> String {
            #"{"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{"/\#(collection)":{}},"#
                + #""components":{"schemas":{"Thing":{"x-handset-collection":"\#(collection)","#
                + #""x-handset-title":"title","properties":{"title":{"type":"string"}}}}}}"#
        }
        try store.setMeta(MetaKey.apiDocument, document("tasks"))
        #expect(store.cachedSchema()?.collections.map(\.name) == ["tasks"])
        #expect(store.cachedSchema()?.collections.map(\.name) == ["tasks"], "the kept parse")
        // A new document (a schema refresh) is parsed again, not answered from the old one.
        try store.setMeta(MetaKey.apiDocument, document("notes"))
        #expect(store.cachedSchema()?.collections.map(\.name) == ["notes"])
    }

    @Test func windowsAreOrderedAndBounded() throws {
        let store = try LocalStore()
        let records = (0..<50).map { record(String(format: "id-%03d", $0), title: "T\($0)") }
        try store.replaceSyncedRecords(collection: "tasks", with: records.shuffled())
        let window = try store.records(collection: "tasks", offset: 10, limit: 5)
        #expect(window.map(\.id) == ["id-010", "id-011", "id-012", "id-013", "id-014"])
        #expect(window[0].fields["title"] == "T10")
    }

    @Test func searchMatchesWordPrefixesAcrossFields() throws {
        let store = try LocalStore()
        try store.replaceSyncedRecords(
            collection: "tasks",
            with: [
                record("a", title: "Draft release notes"), record("b", title: "Review sync design"),
                record("c", title: "Release party"),
            ])
        #expect(Set(try store.search(collection: "tasks", text: "rel").map(\.id)) == ["a", "c"])
        #expect(try store.search(collection: "tasks", text: "draft rel").map(\.id) == ["a"])
        #expect(try store.search(collection: "projects", text: "rel").isEmpty)
        try store.updateRecord(collection: "tasks", id: "b", fields: ["title": "Review the sync release"], now: Date())
        #expect(
            Set(try store.search(collection: "tasks", text: "release").map(\.id)) == ["a", "b", "c"],
            "edits are indexed")
        #expect(try store.search(collection: "tasks", text: "").count == 3)
    }

    @Test func emojiCanBeSearched() throws {
        let store = try LocalStore()
        try store.replaceSyncedRecords(
            collection: "tasks",
            with: [
                record("a", title: "Launch 🚀 party"), record("b", title: "Launch review"), record("c", title: "Cake 🎂"),
            ])
        #expect(try store.search(collection: "tasks", text: "🚀").map(\.id) == ["a"], "not every record")
        #expect(try store.search(collection: "tasks", text: "laun 🚀").map(\.id) == ["a"])
        #expect(try store.search(collection: "tasks", text: "🎂").map(\.id) == ["c"])
        #expect(try store.search(collection: "tasks", text: "🦆").isEmpty)
        #expect(try Set(store.search(collection: "tasks", text: "launch").map(\.id)) == ["a", "b"])
    }

    @Test func metaValuesPersistInAFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cache.sqlite").path
        do {
            let store = try LocalStore(path: path)
            try store.setMeta("k", "v1")
            try store.replaceSyncedRecords(collection: "tasks", with: [record("a", title: "A")])
        }
        let reopened = try LocalStore(path: path)
        #expect(try reopened.meta("k") == "v1")
        #expect(try reopened.records(collection: "tasks").map(\.id) == ["a"])
        #expect(try reopened.integrityCheck() == "ok")
        try reopened.setMeta("k", nil)
        #expect(try reopened.meta("k") == nil)
    }
}

@Suite struct SecretFilesTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("handset-tests-\(UUID().uuidString)")
    }

    func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func tokenCacheIsPrivateAndRemovedOnSignOut() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let paths = HandsetPaths(environment: ["HOME": root.path])
        let cache = TokenCache(file: paths.tokenFile("default"))
        let tokens = TokenSet(
            idToken: "i.d.t", accessToken: "a", refreshToken: "r", expiresAt: Date(timeIntervalSince1970: 2_000_000_000)
        )
        try cache.save(tokens)
        #expect(try mode(cache.file) == 0o600)
        #expect(try mode(cache.file.deletingLastPathComponent()) == 0o700)
        #expect(cache.load() == tokens)
        try cache.save(nil)
        #expect(!FileManager.default.fileExists(atPath: cache.file.path))
        #expect(cache.load() == nil)
    }

    @Test func pathsFollowXDG() {
        let paths = HandsetPaths(environment: [
            "HOME": "/home/u", "XDG_STATE_HOME": "/s", "XDG_CONFIG_HOME": "relative",
        ])
        #expect(paths.state.path == "/s/handset")
        // A relative XDG value is invalid per the spec and ignored.
        #expect(paths.config.path == "/home/u/.config/handset")
        #expect(paths.data.path == "/home/u/.local/share/handset")
        #expect(paths.tokenFile("work").path == "/s/handset/sessions/work.json")
    }

    @Test func profileNamesAreSafeFileNames() {
        #expect(ProfileStore.isValidName("default"))
        #expect(ProfileStore.isValidName("staging-eu_1"))
        #expect(!ProfileStore.isValidName("../etc"))
        #expect(!ProfileStore.isValidName(".hidden"))
        #expect(!ProfileStore.isValidName(""))
    }
}
