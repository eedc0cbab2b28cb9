import Foundation
import HandsetWire

/// The bucket's lifecycle rule, as the seed's Glacier policy: objects older than `archiveAfterDays` move to the
/// archive store. The same run forgets expired restored copies, removes uploads that no record field referred to
/// within the grace period, and sweeps files that no row points at.
struct ObjectLifecycle: Sendable {
    let store: ObjectStore
    let reconciler: ObjectReconciler
    let settings: ObjectStorageSettings

    func run() async throws -> ObjectLifecycleReport {
        let now = store.now()
        var report = ObjectLifecycleReport()
        let cutoff = now.addingTimeInterval(-settings.archiveAfterDays * 86_400)
        for object in try await store.repository.standardObjects(createdBefore: cutoff) {
            try await store.archive(object, at: now)
            report.archived += 1
        }
        report.restoresExpired = try await store.repository.clearExpiredRestores(now: now)

        let graceCutoff = now.addingTimeInterval(-settings.unattachedGraceHours * 3600)
        for object in try await store.repository.unattachedObjects(createdBefore: graceCutoff) {
            // Attach it if its record refers to it by now; otherwise it was never used.
            try await reconciler.reconcile(collection: object.collection, recordId: object.recordId)
            if let current = try await store.repository.object(key: object.key), !current.attached {
                try await store.remove(keys: [current.key])
                report.unattachedRemoved += 1
            }
        }
        report.filesSwept = try await sweepStrayFiles()
        return report
    }

    /// Removes blobs that no row names: published ones over an hour old (an upload between its publishing and its
    /// row is younger), and uploads in progress untouched for longer than a signed URL lives (another instance may
    /// be receiving a younger one right now).
    private func sweepStrayFiles() async throws -> Int {
        let known = try await store.repository.fileNames()
        // File times are the wall clock's, whatever clock the store is given.
        return store.blobs.sweep(keeping: known, policy: BlobSweepPolicy(settings: settings), now: Date())
    }
}

/// What one lifecycle run did.
public struct ObjectLifecycleReport: Sendable, Equatable, CustomStringConvertible {
    public var archived = 0
    public var restoresExpired = 0
    public var unattachedRemoved = 0
    public var filesSwept = 0

    public var description: String {
        "archived \(archived), restores expired \(restoresExpired), unattached removed \(unattachedRemoved), "
            + "stray files removed \(filesSwept)"
    }
}
