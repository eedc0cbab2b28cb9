import Foundation
import HandsetCloudStorage
import Hummingbird
import Logging
import ServiceLifecycle

/// Object storage's part of `buildApplication`: settings, signing key, directories, the `_objects` API routes, the
/// storage endpoint, the record-event sink that removes detached objects, and the lifecycle timer.
struct ObjectsSetup: Sendable {
    let settings: ObjectStorageSettings
    let signer: ObjectSigner
    let store: ObjectStore
    let access: ObjectAccess
    let reconciler: ObjectReconciler
    let lifecycle: ObjectLifecycle
    let logger: Logger

    /// `records` is the repository without events (objects only read records).
    init(
        directory: DataDirectory, blobs: any BlobStore, storage: CloudStorage, document: APIDocument,
        records: any RecordRepository, settings: ObjectStorageSettings?, now: @escaping @Sendable () -> Date,
        logger: Logger
    ) async throws {
        if let settings {
            self.settings = try settings.validated()
        } else {
            self.settings = try await ObjectStorageSettings.loadOrCreate(from: storage.settings, seed: directory)
                .validated()
        }
        signer = try await ObjectSigner.load(from: storage.keys)
        try blobs.prepare()
        store = ObjectStore(blobs: blobs, repository: storage.objects, records: records, now: now)
        access = ObjectAccess(document: document, records: records)
        reconciler = ObjectReconciler(
            store: store, logger: logger,
            attachmentCollections: Set(
                document.collections.values.filter { $0.properties.values.contains(where: ObjectAccess.isAttachment) }
                    .map(\.name)))
        lifecycle = ObjectLifecycle(store: store, reconciler: reconciler, settings: self.settings)
        self.logger = logger
    }

    var recordEvents: any RecordEventSink { reconciler }

    func addRoutes(
        to router: Router<CloudRequestContext>, authorizer: CognitoAuthorizerMiddleware, address: ServerAddress
    ) {
        ObjectsController(store: store, access: access, signer: signer, settings: settings, address: address)
            .addRoutes(to: router.group("api").add(middleware: authorizer))
        StorageEndpoint(store: store, signer: signer, settings: settings).addRoutes(to: router)
    }

    /// The lifecycle rule, applied at start and then every `lifecycleIntervalSeconds`.
    /// With `lease`, once per interval across the fleet.
    func services(lease: PeriodicLease?) -> [any Service] {
        let lifecycle = lifecycle
        let logger = logger
        return [
            PeriodicTask(
                name: "object lifecycle", interval: .milliseconds(Int64(settings.lifecycleIntervalSeconds * 1000)),
                logger: logger, lease: lease,
                work: {
                    let report = try await lifecycle.run()
                    if report != ObjectLifecycleReport() { logger.notice("object lifecycle: \(report)") }
                })
        ]
    }
}
