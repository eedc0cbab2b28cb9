import Foundation
import HandsetModel
import Testing

@testable import HandsetStore

/// Each user of a profile has a cache of their own: what one person cached or queued is never shown to, or sent
/// by, the next person who signs in on the same profile.
@Suite struct UserCachesTests {
    /// A fresh set of XDG folders in a temporary directory.
    static func temporaryPaths() throws -> HandsetPaths {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("handset-caches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return HandsetPaths(
            config: root.appendingPathComponent("config"), state: root.appendingPathComponent("state"),
            data: root.appendingPathComponent("data"))
    }

    static func task(_ id: String, owner: String) -> Record {
        Record(id: id, version: 1, updatedAt: "2026-11-27T10:00:00.000Z", owner: owner, fields: ["title": .string(id)])
    }

    @Test func twoUsersOfOneProfileNeverShareRecordsOrPendingWrites() throws {
        let caches = UserCaches(paths: try Self.temporaryPaths(), profile: "default")
        do {
            let alice = try caches.open(user: "sub-alice")
            try alice.replaceSyncedRecords(collection: "tasks", with: [Self.task("a1", owner: "sub-alice")])
            try alice.createRecord(
                collection: "tasks", id: "a2", fields: ["title": "offline"], owner: "sub-alice", now: Date())
            try alice.setMeta(MetaKey.inboxCursor, "alice-cursor")
        }
        let bob = try caches.open(user: "sub-bob")
        #expect(try bob.recordCount(collection: "tasks") == 0, "bob sees none of alice's records")
        #expect(try bob.pendingCount() == 0, "and none of her queued writes can be sent with his session")
        #expect(try bob.meta(MetaKey.inboxCursor) == nil)
        try bob.createRecord(collection: "tasks", id: "b1", fields: ["title": "bob's"], owner: "sub-bob", now: Date())

        // Alice comes back: her cache and her pending edit are as she left them.
        let alice = try caches.open(user: "sub-alice")
        #expect(try alice.records(collection: "tasks").map(\.id) == ["a1", "a2"])
        #expect(try alice.pendingCount() == 1)
        #expect(try alice.meta(MetaKey.inboxCursor) == "alice-cursor")
    }

    @Test func theSharedCacheOfAnOlderVersionGoesToTheUserWhoseSessionIsCached() throws {
        let paths = try Self.temporaryPaths()
        try Self.makeSharedCache(paths, owners: ["sub-alice", "sub-tina"], pending: true)
        let caches = UserCaches(paths: paths, profile: "default")
        #expect(try caches.adoptSharedCache(sessionUser: "sub-tina") == .adopted(user: "sub-tina"))
        #expect(!FileManager.default.fileExists(atPath: paths.sharedCacheDatabase("default").path))
        let tina = try caches.open(user: "sub-tina")
        #expect(try tina.recordCount(collection: "tasks") == 2)
        #expect(try tina.pendingCount() == 1, "queued writes move with it, WAL included")
        #expect(try caches.open(user: "sub-alice").recordCount(collection: "tasks") == 0)
        #expect(try caches.adoptSharedCache(sessionUser: "sub-tina") == .nothing, "done once")
    }

    @Test func withNobodySignedInTheSharedCacheWaitsForTheUserItBelongsTo() throws {
        let paths = try Self.temporaryPaths()
        try Self.makeSharedCache(paths, owners: ["sub-alice"], pending: true)
        let caches = UserCaches(paths: paths, profile: "default")
        #expect(try caches.adoptSharedCache(sessionUser: nil) == .keptAside)
        #expect(caches.unclaimedCache != nil)
        // Bob is not its owner: he starts empty and it stays aside.
        #expect(try caches.open(user: "sub-bob").recordCount(collection: "tasks") == 0)
        #expect(caches.unclaimedCache != nil)
        // Alice owns every record in it: it becomes hers.
        let alice = try caches.open(user: "sub-alice")
        #expect(try alice.recordCount(collection: "tasks") == 1)
        #expect(try alice.pendingCount() == 1)
        #expect(caches.unclaimedCache == nil)
    }

    @Test func aSharedCacheWithSeveralOwnersIsNeverGivenAwayByGuessing() throws {
        let paths = try Self.temporaryPaths()
        // An admin's cache: records of several people.
        try Self.makeSharedCache(paths, owners: ["sub-alice", "sub-bob"], pending: false)
        let caches = UserCaches(paths: paths, profile: "default")
        #expect(try caches.adoptSharedCache(sessionUser: nil) == .keptAside)
        #expect(try caches.open(user: "sub-alice").recordCount(collection: "tasks") == 0)
        #expect(try caches.open(user: "sub-bob").recordCount(collection: "tasks") == 0)
        #expect(caches.unclaimedCache != nil)
    }

    @Test func aSubThatIsNoPlainIdentifierStaysInsideTheProfileFolder() throws {
        let paths = try Self.temporaryPaths()
        let file = paths.cacheDatabase("default", user: "../../../etc")
        #expect(
            file.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path
                == paths.profileData("default").appendingPathComponent("users").standardizedFileURL.path)
        #expect(!file.path.contains(".."))
        #expect(
            paths.cacheDatabase("default", user: "0b7e-Aa_9").deletingLastPathComponent().lastPathComponent
                == "0b7e-Aa_9")
    }

    /// A cache where versions before per-user caches kept it, left open in WAL mode with its writes in the log.
    static func makeSharedCache(_ paths: HandsetPaths, owners: [String], pending: Bool) throws {
        let file = paths.sharedCacheDatabase("default")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try LocalStore(path: file.path)
        try store.replaceSyncedRecords(
            collection: "tasks", with: owners.enumerated().map { Self.task("t\($0.offset)", owner: $0.element) })
        if pending {
            try store.updateRecord(collection: "tasks", id: "t0", fields: ["title": "edited offline"], now: Date())
        }
    }
}
