import Foundation
import HandsetWire
import Logging

/// `handset-cloud objects`: object storage of a data directory, read and maintained directly (the database is
/// shared safely with a running server).
public enum LocalObjects {
    /// One object as `handset-cloud objects list` shows it.
    public struct Listing: Codable, Sendable, Equatable {
        public var info: ObjectInfo
        /// The record it belongs to, as `collection/id`.
        public var record: String
        /// The uploader's `sub`.
        public var owner: String
        public var attached: Bool
    }

    public static func list(dataDirectory: URL, now: Date = Date()) async throws -> [Listing] {
        let database = try openDatabase(dataDirectory)
        return try await ObjectRepository(database: database).all().map { object in
            Listing(
                info: object.info(at: now), record: "\(object.collection)/\(object.recordId)", owner: object.owner,
                attached: object.attached)
        }
    }

    /// Applies the lifecycle rule now (archive old objects, expire restored copies, remove unused uploads), with
    /// `settings` or else those of `<data dir>/storage.json`; the bytes are in `objectsDirectory` when the server
    /// was given one (`serve --objects-dir`).
    public static func runLifecycle(
        dataDirectory: URL, objectsDirectory: URL? = nil, settings: ObjectStorageSettings? = nil, now: Date = Date()
    ) async throws -> ObjectLifecycleReport {
        let directory = DataDirectory(root: dataDirectory)
        let database = try openDatabase(dataDirectory)
        let settings = try (settings ?? ObjectStorageSettings.loadOrCreate(in: directory)).validated()
        let blobs = DirectoryBlobStore(root: objectsDirectory ?? directory.objectsDirectory)
        try blobs.prepare()
        let store = ObjectStore(
            blobs: blobs, repository: ObjectRepository(database: database),
            records: SQLiteRecordRepository(database: database), now: { now })
        let reconciler = ObjectReconciler(store: store, logger: Logger(label: "handset-cloud"))
        return try await ObjectLifecycle(store: store, reconciler: reconciler, settings: settings).run()
    }

    /// The database of an existing data directory (never creates one).
    static func openDatabase(_ dataDirectory: URL) throws -> CloudDatabase {
        let directory = DataDirectory(root: dataDirectory)
        guard FileManager.default.fileExists(atPath: directory.database.path) else {
            throw CloudStartupError.dataDirectoryUnavailable(
                path: directory.root.path, reason: "no handset-cloud database in it (start `handset-cloud serve` first)"
            )
        }
        return try CloudDatabase.open(in: directory)
    }
}
