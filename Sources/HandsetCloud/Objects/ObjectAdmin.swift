import Foundation
import HandsetCloudStorage
import HandsetWire
import Logging

/// `handset-cloud objects`: object storage read and maintained directly (the database is shared safely with running
/// servers); the bytes are in the data directory.
public enum ObjectAdmin {
    /// One object as `handset-cloud objects list` shows it.
    public struct Listing: Codable, Sendable, Equatable {
        public var info: ObjectInfo
        /// The record it belongs to, as `collection/id`.
        public var record: String
        /// The uploader's `sub`.
        public var owner: String
        public var attached: Bool
    }

    package static func list(storage: CloudStorage, now: Date = Date()) async throws -> [Listing] {
        try await storage.objects.all().map { object in
            Listing(
                info: object.info(at: now), record: "\(object.collection)/\(object.recordId)", owner: object.owner,
                attached: object.attached)
        }
    }

    /// Applies the lifecycle rule now (archive old objects, expire restored copies, remove unused uploads), with
    /// `settings` or else the storage's; the bytes are under `dataDirectory`, or in `objectsDirectory` when the
    /// server was given one (`serve --objects-dir`).
    package static func runLifecycle(
        storage: CloudStorage, dataDirectory: URL, objectsDirectory: URL? = nil,
        settings: ObjectStorageSettings? = nil, now: Date = Date()
    ) async throws -> ObjectLifecycleReport {
        let directory = DataDirectory(root: dataDirectory)
        let loaded: ObjectStorageSettings
        if let settings {
            loaded = settings
        } else {
            loaded = try await ObjectStorageSettings.loadOrCreate(from: storage.settings, seed: directory)
        }
        let settings = try loaded.validated()
        let blobs = DirectoryBlobStore(root: objectsDirectory ?? directory.objectsDirectory)
        try blobs.prepare()
        let store = ObjectStore(blobs: blobs, repository: storage.objects, records: storage.records, now: { now })
        let reconciler = ObjectReconciler(store: store, logger: Logger(label: "handset-cloud"))
        return try await ObjectLifecycle(store: store, reconciler: reconciler, settings: settings).run()
    }
}
