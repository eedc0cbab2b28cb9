import Foundation
import HandsetCloudStorage
import HandsetWire

/// Receives what happened to records, after the write's transaction has committed. Object storage removes detached
/// objects; notifications raise `record.assigned`, `record.changed` and `conflict`.
protocol RecordEventSink: Sendable {
    /// A write changed `event.after` (a tombstone for a delete).
    func recordWritten(_ event: RecordWriteEvent) async
    /// A write was refused with 412 because the record had changed.
    func recordConflict(_ event: RecordConflictEvent) async
}

/// One committed write that changed a record.
struct RecordWriteEvent: Sendable {
    var collection: String
    var id: String
    /// The record (or tombstone) before the write; `nil` for a create.
    var before: StoredRecord?
    /// The record after the write; a tombstone for a delete.
    var after: StoredRecord
    /// Who wrote it, from where; `nil` outside a request (the demo seeder).
    var origin: RecordWriteOrigin?
}

/// A write refused because `If-Match` (or a create's body) did not match the current record.
struct RecordConflictEvent: Sendable {
    var collection: String
    var id: String
    var current: StoredRecord
    var origin: RecordWriteOrigin?
}
