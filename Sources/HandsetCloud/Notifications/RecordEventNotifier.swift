import Foundation
import HandsetCloudStorage
import HandsetWire
import Logging

/// Raises notifications from record writes:
///
/// | event | when | to |
/// |---|---|---|
/// | `record.assigned` | the assignee field comes to name (by username, or verified email) a confirmed user other than the writer whom a rule lets read the record | that user |
/// | `record.changed` | someone other than the owner changed or deleted the record | the owner |
/// | `record.changed` | the owner changed it from another device than their previous write to it | the owner |
/// | `conflict` | a write was refused with 412 | the writer |
///
/// The device comes from `RecordWriteOrigin` (the `X-Handset-Device` header, else the token's `origin_jti`); the
/// device of each record's last write is stored with the record (`StoredRecord.lastDevice`, written in the write's
/// own transaction), so any instance compares with the write before, wherever that was made. The assignee is compared with the record as it was before the write.
/// `record.changed` and `conflict` are not repeated while the recipient has one about the same record unread, so
/// a device that syncs a long offline session does not flood the inbox.
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
        let title = displayTitle(event.current.body, id: event.id, collection: event.collection)
        let draft = NotificationDraft(
            title: "Conflict: \(title)",
            body: "Your change to “\(title)” in \(event.collection) was refused: it was changed meanwhile (now version "
                + "\(event.current.version)). Open it to choose which version to keep.",
            link: RecordLink(collection: event.collection, id: event.id))
        do {
            try await inbox.deliver(draft, kind: .conflict, to: [writer.sub], coalescing: true)
        } catch {
            logger.error("Cannot raise a conflict notification for \(event.collection)/\(event.id): \(error)")
        }
    }

    private func raise(_ event: RecordWriteEvent) async throws {
        let record = event.after
        // Most writes raise nothing: a create can only assign, and only when its body has the assignee field. Say
        // so before parsing any body (parsing every created body was a tenth of a `_batch`'s server time).
        guard event.before != nil || Self.mayName(record, field: inbox.settings.assigneeField) else { return }
        let body = record.deleted ? [:] : record.body
        let beforeBody = event.before.map { $0.deleted ? [:] : $0.body } ?? [:]
        let writer = event.origin?.writer
        let link = RecordLink(collection: event.collection, id: event.id)
        let title = displayTitle(
            record.deleted ? beforeBody : body, id: event.id, collection: event.collection)

        let device = event.origin?.deviceKey
        let lastDevice = event.before?.lastDevice
        if let writer, let before = event.before, !before.deleted || !record.deleted {
            let verb = record.deleted ? "deleted" : "changed"
            if writer.sub != record.owner {
                try await inbox.deliver(
                    NotificationDraft(
                        title: "\(title) was \(verb)",
                        body: "\(writer.name) \(verb) “\(title)” in \(event.collection).",
                        link: link),
                    kind: .changed, to: [record.owner], coalescing: true)
            } else if let device, let lastDevice, lastDevice.hasPrefix("\(writer.sub) "), lastDevice != device {
                try await inbox.deliver(
                    NotificationDraft(
                        title: "\(title) was \(verb) on another device",
                        body: "You \(verb) “\(title)” in \(event.collection) from another device.", link: link,
                        originDevice: event.origin?.device),
                    kind: .changed, to: [record.owner], coalescing: true)
            }
        }

        // Assigned: the field now names someone it did not name before the write, who may read the record (else
        // anyone could write into anyone's inbox through it). Repeats coalesce while one is unread.
        let field = inbox.settings.assigneeField
        guard let assignee = body[field]?.stringValue, assignee.utf8.count <= 512,
            beforeBody[field]?.stringValue?.lowercased() != assignee.lowercased(),
            let match = try await inbox.store.assignee(matching: assignee), match.sub != writer?.sub,
            case let assigned = Identity(
                sub: match.sub, username: match.username, email: match.email, groups: match.groups, clientId: ""),
            let collection = document.collections[event.collection],
            collection.grant(for: assigned).allows(.read, on: record)
        else { return }
        let by = writer.map { "\($0.name) assigned" } ?? "Assigned"
        try await inbox.deliver(
            NotificationDraft(
                title: "Assigned to you: \(title)", body: "\(by) “\(title)” in \(event.collection) to you.", link: link),
            kind: .assigned, to: [assigned.sub], coalescing: true)
    }

    /// Whether the stored body can have `field` (false only when its canonical text cannot contain the key).
    static func mayName(_ record: StoredRecord, field: String) -> Bool {
        guard !record.deleted else { return false }
        let plain = field.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
        return !plain || record.bodyText.contains("\"\(field)\"")
    }

    /// The record's title field, else its collection and id.
    private func displayTitle(_ body: [String: JSONValue], id: String, collection: String) -> String {
        if let field = document.collections[collection]?.titleField,
            let title = body[field]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty
        {
            return title.count > 80 ? String(title.prefix(79)) + "…" : title
        }
        return "\(collection)/\(id)"
    }
}
