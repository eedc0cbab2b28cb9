import Foundation
import Logging

/// Keeps objects in step with their records, after each write commits: deleting a record removes its objects;
/// a field that stops referring to an object (cleared or replaced) removes that object. An object that no field has
/// referred to yet (uploaded ahead of the write that attaches it) is left alone; the lifecycle run removes it once
/// its grace period is over.
///
/// Each record is reconciled against its latest state under a per-record lock, so two writes reported out of order
/// still leave the objects matching the record as it is.
struct ObjectReconciler: RecordEventSink {
    let store: ObjectStore
    let logger: Logger
    /// The collections with an attachment field (others cannot have objects); `nil` when unknown.
    var attachmentCollections: Set<String>? = nil
    let locks = KeyedLock()

    func recordWritten(_ event: RecordWriteEvent) async {
        if let attachmentCollections, !attachmentCollections.contains(event.collection) { return }
        do {
            guard try await store.repository.hasObjects(collection: event.collection, recordId: event.id) else {
                return
            }
            try await reconcile(collection: event.collection, recordId: event.id)
        } catch {
            logger.error("Cannot reconcile the objects of \(event.collection)/\(event.id): \(error)")
        }
    }

    func recordConflict(_ event: RecordConflictEvent) async {}

    /// Attaches the objects the record refers to and removes the attached ones it no longer refers to (all of them
    /// when the record is deleted).
    func reconcile(collection: String, recordId: String) async throws {
        try await locks.withLock("\(collection)\u{0}\(recordId)") {
            let objects = try await store.repository.objects(collection: collection, recordId: recordId)
            guard !objects.isEmpty else { return }
            let record = try await store.records.record(collection: collection, id: recordId)
            guard let record, !record.deleted else {
                // Deleted (or never created while others wrote): only a tombstone removes everything.
                if record?.deleted == true { try await store.remove(keys: objects.map(\.key)) }
                return
            }
            let referenced = ObjectStore.referencedStrings(in: record.body)
            try await store.repository.setAttached(
                keys: objects.filter { !$0.attached && referenced.contains($0.key) }.map(\.key))
            try await store.remove(keys: objects.filter { $0.attached && !referenced.contains($0.key) }.map(\.key))
        }
    }
}
