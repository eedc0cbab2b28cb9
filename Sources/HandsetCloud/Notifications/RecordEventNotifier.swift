import Foundation
import HandsetWire
import Logging

/// Raises notifications from record writes:
///
/// | event | when | to |
/// |---|---|---|
/// | `record.assigned` | the assignee field (an email or username) comes to name a user other than the writer | that user |
/// | `record.changed` | someone other than the owner changed or deleted the record | the owner |
/// | `record.changed` | the owner changed it from another device than their previous write to it | the owner |
/// | `conflict` | a write was refused with 412 | the writer |
///
/// The device comes from `RecordWriteOrigin` (the `X-Handset-Device` header, else the token's `origin_jti`).
struct RecordEventNotifier: RecordEventSink {
    let inbox: InboxService
    let document: APIDocument
    let logger: Logger

    func recordWritten(_ event: RecordWriteEvent) async {
        do {
            try await raise(event)
        } catch {
            logger.error("Cannot raise notifications for \(event.collection)/\(event.id): \(error)")
        }
    }

    func recordConflict(_ event: RecordConflictEvent) async {
        guard let writer = event.origin?.writer else { return }
        let title = displayTitle(event.current, collection: event.collection)
        let draft = NotificationDraft(
            title: "Conflict: \(title)",
            body: "Your change to \(event.collection)/\(event.id) was refused: it was changed meanwhile (now version "
                + "\(event.current.version)). Open it to choose which version to keep.",
            link: RecordLink(collection: event.collection, id: event.id))
        do {
            try await inbox.deliver(draft, kind: .conflict, to: [writer.sub])
        } catch {
            logger.error("Cannot raise a conflict notification for \(event.collection)/\(event.id): \(error)")
        }
    }

    private func raise(_ event: RecordWriteEvent) async throws {
        let record = event.after
        let writer = event.origin?.writer
        let link = RecordLink(collection: event.collection, id: event.id)
        let title = displayTitle(record.deleted ? (event.before ?? record) : record, collection: event.collection)
        let previous = try await inbox.store.recordState(collection: event.collection, id: event.id)
        var state = previous ?? NotificationStore.RecordState()

        let deviceKey = event.origin?.device.flatMap { device in writer.map { "\($0.sub) \(device)" } }
        if let writer, let before = event.before, !before.deleted || !record.deleted {
            let verb = record.deleted ? "deleted" : "changed"
            if writer.sub != record.owner {
                try await inbox.deliver(
                    NotificationDraft(
                        title: "\(title) was \(verb)", body: "\(writer.name) \(verb) \(event.collection)/\(event.id).",
                        link: link),
                    kind: .changed, to: [record.owner])
            } else if let deviceKey, let last = previous?.device, last.hasPrefix("\(writer.sub) "), last != deviceKey {
                try await inbox.deliver(
                    NotificationDraft(
                        title: "\(title) was \(verb) on another device",
                        body: "You \(verb) \(event.collection)/\(event.id) from another device.", link: link),
                    kind: .changed, to: [record.owner])
            }
        }
        if let deviceKey { state.device = deviceKey }

        if record.deleted {
            if previous != nil { try await inbox.store.setRecordState(nil, collection: event.collection, id: event.id) }
            return
        }
        let assigneeName = record.body[inbox.settings.assigneeField]?.stringValue
        var assignee: String?
        if let assigneeName { assignee = try await inbox.store.userSub(matching: assigneeName) }
        if assignee != previous?.assignee {
            state.assignee = assignee
            if let assignee, assignee != writer?.sub {
                let by = writer.map { "\($0.name) assigned" } ?? "Assigned"
                try await inbox.deliver(
                    NotificationDraft(
                        title: "Assigned to you: \(title)", body: "\(by) \(event.collection)/\(event.id) to you.",
                        link: link),
                    kind: .assigned, to: [assignee])
            }
        }
        if state != previous ?? NotificationStore.RecordState() {
            try await inbox.store.setRecordState(state, collection: event.collection, id: event.id)
        }
    }

    /// The record's title field, else its collection and id.
    private func displayTitle(_ record: StoredRecord, collection: String) -> String {
        if let field = document.collections[collection]?.titleField,
            let title = record.body[field]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty
        {
            return title.count > 80 ? String(title.prefix(79)) + "…" : title
        }
        return "\(collection)/\(record.id)"
    }
}
