import Foundation
import HandsetCloudStorage
import Testing

@testable import HandsetCloudSQLite

/// `FileSettingsRepository.changedDocument` looks at a file only when the data directory's inotify watch saw an event
/// for it: every way a person or another instance changes `pool.json` must still be seen at the next look.
@Suite("Settings file watch")
struct SettingsFileWatchTests {
    private func withDirectory(_ body: (DataDirectory, URL) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("settings-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = DataDirectory(root: root)
        try body(directory, directory.poolConfiguration)
    }

    @Test("an edit in place, a replace by rename, a touch, a removal and a re-creation are each seen at the next look")
    func everyChangeIsSeen() throws {
        try withDirectory { directory, file in
            try Data("one".utf8).write(to: file)
            let settings = FileSettingsRepository(directory: directory)
            var seen = try #require(settings.changedDocument(.pool, since: nil))
            #expect(seen.data == Data("one".utf8))
            // Unchanged: nothing, however often asked (the database's own writes in the directory do not count).
            try Data("db".utf8).write(to: directory.root.appendingPathComponent("cloud.sqlite-wal"))
            for _ in 0..<3 { #expect(settings.changedDocument(.pool, since: seen.stamp) == nil) }

            // In place, as an editor that truncates and writes does (and as `Data.write` does).
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("two".utf8))
            try handle.close()
            seen = try #require(settings.changedDocument(.pool, since: seen.stamp))
            #expect(seen.data == Data("two".utf8))
            #expect(settings.changedDocument(.pool, since: seen.stamp) == nil)

            // Replaced by rename (an atomic write, another instance's update).
            try Data("three".utf8).write(to: file, options: .atomic)
            seen = try #require(settings.changedDocument(.pool, since: seen.stamp))
            #expect(seen.data == Data("three".utf8))

            // Touched: the same bytes, a new time; told again (the caller compares the configuration itself).
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: file.path)
            seen = try #require(settings.changedDocument(.pool, since: seen.stamp))
            #expect(seen.data == Data("three".utf8))

            // Removed: nothing to read, and the last good document stays the caller's; written again: seen.
            try FileManager.default.removeItem(at: file)
            #expect(settings.changedDocument(.pool, since: seen.stamp) == nil)
            try Data("four".utf8).write(to: file)
            seen = try #require(settings.changedDocument(.pool, since: seen.stamp))
            #expect(seen.data == Data("four".utf8))
            #expect(settings.changedDocument(.pool, since: seen.stamp) == nil)
        }
    }

    @Test("the database's writes in the same directory neither queue events nor turn the watch off")
    func databaseWritesDoNotCount() throws {
        try withDirectory { directory, file in
            try Data("one".utf8).write(to: file)
            let watch = SettingsFileWatch(directory: directory.root.path, files: [file.lastPathComponent])
            watch.willLook(file.lastPathComponent)
            watch.saw(file.lastPathComponent, stamp: "seen")
            #expect(watch.unchanged(file.lastPathComponent, since: "seen"))
            // SQLite writes its database and WAL through descriptors it keeps open. Writes alternating between two
            // files are not merged by the kernel: more than its queue holds (16,384 events by default) would overflow
            // it if plain writes were watched, and the watch would turn itself off.
            let names = ["cloud.sqlite", "cloud.sqlite-wal"]
            let descriptors = names.map {
                open(directory.root.appendingPathComponent($0).path, O_WRONLY | O_CREAT, 0o600)
            }
            defer { descriptors.forEach { close($0) } }
            #expect(descriptors.allSatisfy { $0 >= 0 })
            var byte: UInt8 = 1
            var written = 0
            for _ in 0..<10_000 {
                for descriptor in descriptors where write(descriptor, &byte, 1) == 1 { written += 1 }
            }
            #expect(written == 20_000)
            #expect(watch.unchanged(file.lastPathComponent, since: "seen"))
            // And the watch still sees a change of its own file.
            try Data("two".utf8).write(to: file)
            #expect(!watch.unchanged(file.lastPathComponent, since: "seen"))
        }
    }

    @Test("a pool.json that is a symbolic link is looked at every time: its target changes out of the watch's sight")
    func symbolicLink() throws {
        try withDirectory { directory, file in
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent(
                "settings-target-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: elsewhere) }
            let target = elsewhere.appendingPathComponent("pool.json")
            try Data("one".utf8).write(to: target)
            try FileManager.default.createSymbolicLink(at: file, withDestinationURL: target)
            let settings = FileSettingsRepository(directory: directory)
            let seen = try #require(settings.changedDocument(.pool, since: nil))
            #expect(settings.changedDocument(.pool, since: seen.stamp) == nil)
            try Data("two!".utf8).write(to: target)
            #expect(settings.changedDocument(.pool, since: seen.stamp)?.data == Data("two!".utf8))
        }
    }
}
