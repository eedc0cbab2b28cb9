import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("A blob store that instances share")
struct BlobStoreTests {
    /// Sets a file's modification time `age` seconds into the past.
    func age(_ url: URL, by age: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
    }

    @Test("another instance's start leaves an upload in progress alone")
    func startKeepsUploadsInProgress() async throws {
        let shared = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: shared) }
        let blobs = DirectoryBlobStore(root: shared)
        try blobs.prepare()
        // What instance A's upload looks like halfway: a file under incoming/ being written to.
        let inProgress = blobs.incoming.appendingPathComponent(UUID().uuidString.lowercased())
        try Data("half of an upload".utf8).write(to: inProgress)

        // Instance B starts on the same blob store (its own data directory) and runs its first lifecycle pass.
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var configuration = CloudConfiguration(port: 0, dataDirectory: root, demo: true, logLevel: .critical)
        configuration.objectsDirectory = shared
        let app = try await buildApplication(configuration: configuration)
        let status = try await app.test(.router) { client in try await client.get("/healthz").status }
        #expect(status == .ok)
        let storage = try SQLiteCloudStorage.openExisting(directory: root)
        _ = try await ObjectAdmin.runLifecycle(storage: storage, dataDirectory: root, objectsDirectory: shared)
        await storage.close()
        #expect(FileManager.default.fileExists(atPath: inProgress.path))
        // The demo's attachment went to the shared store, not under B's data directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.standard.path).count == 1)
        #expect(!FileManager.default.fileExists(atPath: DataDirectory(root: root).objectsDirectory.path))
    }

    @Test("a sweep removes only leftovers old enough to be nobody's work")
    func sweepByAge() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let blobs = DirectoryBlobStore(root: root)
        try blobs.prepare()
        func file(_ folder: URL, age seconds: TimeInterval) throws -> URL {
            let url = folder.appendingPathComponent(UUID().uuidString.lowercased())
            try Data("x".utf8).write(to: url)
            try age(url, by: seconds)
            return url
        }
        let policy = BlobSweepPolicy(uploadsInProgress: 900)
        let freshUpload = try file(blobs.incoming, age: 60)
        let abandonedUpload = try file(blobs.incoming, age: 901)
        let youngStray = try file(blobs.standard, age: 1800)
        let oldStray = try file(blobs.standard, age: 3601)
        let oldArchivedStray = try file(blobs.archive, age: 3601)
        let oldKnown = try file(blobs.standard, age: 86_400)

        let removed = blobs.sweep(keeping: [oldKnown.lastPathComponent], policy: policy, now: Date())
        #expect(removed == 3)
        for kept in [freshUpload, youngStray, oldKnown] { #expect(FileManager.default.fileExists(atPath: kept.path)) }
        for gone in [abandonedUpload, oldStray, oldArchivedStray] {
            #expect(!FileManager.default.fileExists(atPath: gone.path))
        }
    }

    @Test("uploads in progress get at least an hour, and longer when signed URLs live longer")
    func sweepPolicy() {
        #expect(BlobSweepPolicy(settings: ObjectStorageSettings(urlLifetimeSeconds: 900)).uploadsInProgress == 3600)
        #expect(
            BlobSweepPolicy(settings: ObjectStorageSettings(urlLifetimeSeconds: 7200)).uploadsInProgress == 7200)
    }

    @Test("a blob is published whole, and moves between tiers")
    func publishAndMove() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let blobs = DirectoryBlobStore(root: root)
        try blobs.prepare()
        try blobs.prepare()  // a second instance's prepare changes nothing
        let name = try blobs.write(Data("bytes".utf8))
        #expect(try Data(contentsOf: blobs.fileURL(of: name, tier: .standard)) == Data("bytes".utf8))
        try blobs.move(name, from: .standard, to: .archive)
        #expect(try Data(contentsOf: blobs.fileURL(of: name, tier: .archive)) == Data("bytes".utf8))
        #expect(!FileManager.default.fileExists(atPath: blobs.fileURL(of: name, tier: .standard).path))
        #expect(throws: POSIXFailure.self) { try blobs.move(name, from: .standard, to: .archive) }
        blobs.remove(name, tier: .archive)
        blobs.remove(name, tier: .archive)  // gone already: no error
        #expect(try FileManager.default.contentsOfDirectory(atPath: blobs.incoming.path).isEmpty)
    }
}
