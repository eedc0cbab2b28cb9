import Foundation
import HandsetCloudStorage
import HandsetWire
import Testing

/// `ObjectMetadataRepository` on every backend: rows of stored objects, their attachment, the lifecycle (archive,
/// restore, expiry) and what quotas and sweeps read.
@Suite("Contract: ObjectMetadataRepository")
struct ObjectMetadataContractTests {
    static func object(
        _ key: String, record: String = "r1", owner: String = "u1", size: Int = 10, attached: Bool = false,
        at date: Date = testEpoch
    ) -> StoredObject {
        StoredObject(
            key: key, collection: "tasks", recordId: record, field: "photo", owner: owner,
            file: "file-\(key.split(separator: "/").last ?? "")", size: size, contentType: "image/png",
            eTag: "etag-\(key.count)", tier: .standard, attached: attached, createdAt: date,
            fileName: "Ünïcode name \(key.count).png")
    }

    @Test("put, read, replace, attach, remove", arguments: StorageBackend.allCases)
    func rows(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let objects = storage.objects
            let a = Self.object("tasks/r1/photo/a.png")
            let b = Self.object("tasks/r1/photo/b.png", size: 20)
            let c = Self.object("tasks/r2/photo/c.png", record: "r2", owner: "u2")
            #expect(try await objects.put(b) == nil)
            #expect(try await objects.put(a) == nil)
            #expect(try await objects.put(c) == nil)
            #expect(try await objects.object(key: a.key) == a)
            #expect(try await objects.object(key: "tasks/none") == nil)
            #expect(try await objects.object(key: "tasks/r1/ünïcode") == nil)
            #expect(try await objects.all().map(\.key) == [a.key, b.key, c.key])
            #expect(try await objects.objects(collection: "tasks", recordId: "r1") == [a, b])
            #expect(try await objects.hasObjects(collection: "tasks", recordId: "r2"))
            #expect(try await !objects.hasObjects(collection: "tasks", recordId: "r3"))
            #expect(try await objects.fileNames() == Set([a.file, b.file, c.file]))

            var again = Self.object(a.key, size: 99, at: testEpoch.addingTimeInterval(1))
            again.file = "file-again"
            #expect(try await objects.put(again) == a, "an upload URL used twice replaces the row")
            #expect(try await objects.object(key: a.key) == again)

            #expect(try await objects.unattachedUsage(owner: "u1") == (count: 2, bytes: 119))
            try await objects.setAttached(keys: [a.key, "tasks/none"])
            try await objects.setAttached(keys: [])
            #expect(try await objects.object(key: a.key)?.attached == true)
            #expect(try await objects.unattachedUsage(owner: "u1") == (count: 1, bytes: 20))
            #expect(try await objects.unattachedUsage(owner: "nobody") == (count: 0, bytes: 0))

            let removed = try await objects.remove(keys: [b.key, "tasks/none", c.key])
            #expect(removed.map(\.key) == [b.key, c.key])
            #expect(try await objects.remove(keys: []).isEmpty)
            #expect(try await objects.all().map(\.key) == [a.key])
        }
    }

    @Test(
        "the lifecycle: old STANDARD objects, unattached leftovers, archive, restore, expiry",
        arguments: StorageBackend.allCases)
    func lifecycle(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let objects = storage.objects
            let old = Self.object("k/old", attached: true, at: testEpoch)
            let older = Self.object("k/older", at: testEpoch.addingTimeInterval(-10))
            let new = Self.object("k/new", at: testEpoch.addingTimeInterval(100))
            for object in [old, older, new] { _ = try await objects.put(object) }
            let cutoff = testEpoch.addingTimeInterval(50)
            #expect(try await objects.standardObjects(createdBefore: cutoff).map(\.key) == ["k/older", "k/old"])
            #expect(try await objects.unattachedObjects(createdBefore: cutoff).map(\.key) == ["k/older"])

            let archivedAt = testEpoch.addingTimeInterval(60)
            try await objects.markArchived(key: "k/old", at: archivedAt)
            let archived = try #require(try await objects.object(key: "k/old"))
            #expect(
                archived.tier == .archive && archived.archivedAt == archivedAt && !archived.isReadable(at: archivedAt))
            #expect(try await objects.standardObjects(createdBefore: cutoff).map(\.key) == ["k/older"])

            let now = testEpoch.addingTimeInterval(70)
            let ready = now.addingTimeInterval(5)
            let expires = now.addingTimeInterval(3600)
            let restoring = try #require(
                try await objects.requestRestore(key: "k/old", now: now, readyAt: ready, expiresAt: expires))
            #expect(restoring.restoreState(at: now) == .inProgress)
            #expect(try await objects.object(key: "k/old") == restoring)
            let asked = try await objects.requestRestore(
                key: "k/old", now: now, readyAt: now.addingTimeInterval(500), expiresAt: expires)
            #expect(asked?.restoreReadyAt == ready, "a restore in progress is not started again")
            #expect(
                try await objects.requestRestore(key: "k/none", now: now, readyAt: ready, expiresAt: expires) == nil)
            let standard = try await objects.requestRestore(key: "k/new", now: now, readyAt: ready, expiresAt: expires)
            #expect(standard?.restoreReadyAt == nil, "a STANDARD object needs no restore")

            #expect(try await objects.object(key: "k/old")?.isReadable(at: ready) == true)
            #expect(try await objects.clearExpiredRestores(now: expires.addingTimeInterval(-1)) == 0)
            #expect(try await objects.clearExpiredRestores(now: expires) == 1)
            let expired = try #require(try await objects.object(key: "k/old"))
            #expect(expired.restoreReadyAt == nil && expired.restoreExpiresAt == nil && expired.tier == .archive)
        }
    }
}
