import Foundation
import HandsetApp
import HandsetModel
import HandsetStore
import Testing

@testable import HandsetLive

/// The live pieces beside the environment: reading config.toml, kept records found in a real cache, local files.
@Suite struct LiveWiringTests {
    @Test func theEnvironmentOverridesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = Settings.file(in: directory)
        try "theme = \"light\"\n[network]\ntimeout = 20\n[notifications]\nbell = true\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let (fromFile, _) = try Settings.load(file: file, environment: [:])
        #expect(fromFile.theme == "light" && fromFile.requestTimeout == 20 && fromFile.bell)
        let (overridden, _) = try Settings.load(
            file: file,
            environment: [
                "HANDSET_THEME": "high-contrast", "HANDSET_TIMEOUT": "2", "HANDSET_BELL": "0",
                "HANDSET_SYNC_INTERVAL": "10",
                "HANDSET_MOUSE": "off", "HANDSET_DESKTOP_NOTIFICATIONS": "yes",
            ])
        #expect(overridden.theme == "high-contrast")
        #expect(overridden.requestTimeout == 2)
        #expect(!overridden.bell && overridden.desktopNotifications && !overridden.mouse)
        #expect(overridden.syncInterval == 10)
        #expect(throws: SettingsError.self) { try Settings.load(file: file, environment: ["HANDSET_TIMEOUT": "soon"]) }
        // No file at all: defaults.
        let (none, _) = try Settings.load(file: directory.appendingPathComponent("absent.toml"), environment: [:])
        #expect(none == Settings())
    }

    @Test func theLiveEnvironmentMovesTheWindowToTheKeptRecord() async throws {
        let store = try LocalStore()
        let records = (0..<1_000).map {
            Record(
                id: String(format: "r%04d", $0), version: 1, updatedAt: "", owner: "s",
                fields: ["title": .string(String(format: "Title %04d", 999 - $0))])
        }
        try store.applyChanges(collection: "tasks", items: records.map(\.json), cursor: "1000", complete: true)
        var environment = AppEnvironment(
            signIn: { _, _ in .effectDone }, refreshSchema: { .effectDone },
            loadRecords: { _, _, _ in .effectDone }, sync: { _ in .effectDone })
        environment.loadSortedRecords = { collection, offset, limit, sort in
            let window = (try? store.records(collection: collection, offset: offset, limit: limit, sort: sort)) ?? []
            return .list(.recordsLoaded(collection: collection, offset: offset, records: window, total: 1_000))
        }
        environment.locateRecord = { collection, id, sort in
            try? store.position(of: id, collection: collection, sort: sort)
        }
        // r0010 is row 10 by id, row 989 by title.
        let event = await environment.perform(
            .loadRecords(collection: "tasks", offset: 0, limit: 400, sort: RecordSort(field: "title"), keeping: "r0010")
        )
        guard case .list(.recordsLoaded(_, let offset, let window, 1_000, let kept)) = event else {
            Issue.record("unexpected \(event)")
            return
        }
        #expect(kept == KeptRecord(id: "r0010", index: 989))
        #expect(offset == 889)
        #expect(window[989 - offset].id == "r0010")
        let gone = await environment.perform(.loadRecords(collection: "tasks", offset: 0, limit: 400, keeping: "nope"))
        guard case .list(.recordsLoaded(_, 0, _, _, let none)) = gone else {
            Issue.record("unexpected \(gone)")
            return
        }
        #expect(none == KeptRecord(id: "nope", index: nil))
    }

    @Test func pathsAndTypes() {
        #expect(LocalFiles.expand("~/a.txt", home: "/home/me") == "/home/me/a.txt")
        #expect(LocalFiles.expand("~", home: "/home/me") == "/home/me")
        #expect(LocalFiles.expand("/x/~/y", home: "/home/me") == "/x/~/y")
        #expect(LocalFiles.contentType(of: URL(fileURLWithPath: "/a/B.PDF")) == "application/pdf")
        #expect(LocalFiles.contentType(of: URL(fileURLWithPath: "/a/b")) == "application/octet-stream")
    }
}
