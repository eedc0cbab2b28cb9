import Foundation
import HandsetApp
import HandsetModel
import HandsetWire

/// One record: every field formatted by its type, server fields last, scrolled when it does not fit.
public enum DetailView {
    /// A line of the detail: a field's label on its first line, its value (or a wrapped part of it).
    struct Line: Equatable {
        var label: String?
        var text: String
        var role: StyleRole
    }

    /// The first row of the fields, and the rows they have.
    static func body(height: Int) -> Range<Int> { 5..<max(height - 3, 5) }

    public static func render(
        _ state: AppState, recordId: String, confirmingDelete: Bool, timeZone: TimeZone = .current,
        into grid: inout CellGrid
    ) {
        guard let collection = state.currentCollection, let record = record(recordId, in: state) else {
            grid.put("This record is no longer in view.", x: 2, y: 2, role: .dim)
            return
        }
        let title = FieldFormatter.format(record.value(of: collection.titleField), kind: .text)
        grid.put(TextWidth.truncate(title.isEmpty ? record.id : title, to: grid.width - 4), x: 2, y: 2, role: .title)
        var stateLabel: (String, StyleRole)?
        switch record.syncState {
        case .synced: stateLabel = nil
        case .pending: stateLabel = ("↑ waiting to sync", .badgePending)
        case .conflicted: stateLabel = ("! conflict: press c on the list to settle it", .badgeConflict)
        case .rejected:
            // The server's reason, so the person knows what to fix (or that only discarding helps).
            let refusal = state.sync.refusals.first { $0.collection == collection.name && $0.recordId == record.id }
            let reason = refusal.map { ($0.isForbidden ? "! forbidden: " : "! refused: ") + $0.reason }
            stateLabel = (
                TextWidth.truncate(reason ?? "! the server refused the last change", to: grid.width - 4),
                .badgeConflict
            )
        }
        if let (text, role) = stateLabel { grid.put(text, x: 2, y: 3, role: role) }

        let labelWidth = labelWidth(collection)
        let content = lines(state, record: record, collection: collection, width: grid.width, timeZone: timeZone)
        let rows = body(height: grid.height)
        let limit = max(content.count - rows.count, 0)
        let top = min(state.scroll.offset, limit)
        for (index, line) in content.dropFirst(top).prefix(rows.count).enumerated() {
            let y = rows.lowerBound + index
            if let label = line.label {
                grid.put(TextWidth.truncate(label, to: labelWidth - 1), x: 2, y: y, role: .fieldLabel)
            }
            grid.put(line.text, x: 2 + labelWidth, y: y, role: line.role, maxWidth: grid.width - labelWidth - 4)
        }
        if limit > 0 {
            // Where the view is, on the row above the fields.
            let note = "lines \(top + 1)–\(min(top + rows.count, content.count)) of \(content.count) · ↑↓ PgUp PgDn"
            grid.put(note, x: max(grid.width - TextWidth.width(of: note) - 2, 2), y: 4, role: .dim)
        }
        if confirmingDelete {
            let text = " Delete \"\(TextWidth.truncate(title, to: 30))\"? y to delete, any other key to keep "
            let width = TextWidth.width(of: text)
            let x = max((grid.width - width) / 2, 0)
            grid.fill(x: x, y: grid.height / 2, width: width, height: 1, role: .error)
            grid.put(text, x: x, y: grid.height / 2, role: .selection)
        }
    }

    /// The furthest the detail can scroll in a terminal of this size.
    static func scrollLimit(_ state: AppState, recordId: String, width: Int, height: Int, timeZone: TimeZone) -> Int? {
        guard let collection = state.currentCollection, let record = record(recordId, in: state) else { return nil }
        let count = lines(state, record: record, collection: collection, width: width, timeZone: timeZone).count
        return max(count - body(height: height).count, 0)
    }

    static func record(_ id: String, in state: AppState) -> Record? {
        let focused = state.detail.focusedRecord?.id == id ? state.detail.focusedRecord : nil
        return state.list?.window.first { $0.id == id } ?? focused
    }

    static func labelWidth(_ collection: CollectionSchema) -> Int {
        let labels = collection.fields.map(\.name) + [RecordField.updatedAt]
        return min(max(labels.map { FieldFormatter.label(for: $0).count }.max() ?? 8, 8) + 2, 24)
    }

    /// Every line of the record, long values wrapped to the width: the person's fields, a gap, the server's.
    static func lines(
        _ state: AppState, record: Record, collection: CollectionSchema, width: Int, timeZone: TimeZone
    ) -> [Line] {
        let valueWidth = max(width - labelWidth(collection) - 4, 8)
        var result: [Line] = []
        func add(_ label: String, _ value: String, role: StyleRole) {
            let wrapped = TextWidth.wrap(value.isEmpty ? "—" : value, to: valueWidth)
            for (index, piece) in wrapped.enumerated() {
                result.append(
                    Line(label: index == 0 ? label : nil, text: piece, role: value.isEmpty ? .dim : role))
            }
        }
        for field in collection.fields where !RecordField.serverManaged.contains(field.name) {
            add(
                FieldFormatter.label(for: field.name), text(of: field, in: record, state: state, timeZone: timeZone),
                role: .normal)
        }
        result.append(Line(label: nil, text: "", role: .normal))
        add(FieldFormatter.label(for: RecordField.id), record.id, role: .dim)
        add(FieldFormatter.label(for: RecordField.version), String(record.version), role: .dim)
        let updated = TimeText.parse(record.updatedAt).map { TimeText.full($0, timeZone: timeZone) } ?? record.updatedAt
        add(FieldFormatter.label(for: RecordField.updatedAt), updated, role: .dim)
        add(
            FieldFormatter.label(for: RecordField.owner),
            ownerText(record.owner, collection: collection, state: state), role: .dim)
        return result
    }

    /// A field's value as people read it: files by their name, related records by their title, times in the local
    /// zone with the zone, yes/no.
    static func text(of field: FieldSchema, in record: Record, state: AppState, timeZone: TimeZone) -> String {
        let value = record.fields[field.name]
        switch (field.kind, value) {
        case (.objectKey, .string(let key)?) where !key.isEmpty:
            return attachmentText(key: key, info: state.attachments.info[key])
        case (.dateTime, .string(let text)?):
            return TimeText.parse(text).map { TimeText.full($0, timeZone: timeZone) } ?? text
        case (_, .string(let id)?) where field.references != nil && !id.isEmpty:
            let title = state.related["\(field.references ?? "")/\(id)"]
            return title ?? id
        default:
            return fullText(value, kind: field.kind)
        }
    }

    /// Who owns the record: the person themselves (by `sub`, or by the claim an owner rule matches, such as a
    /// legacy table's customer id), or someone else (whose id says nothing to people).
    static func ownerText(_ owner: String, collection: CollectionSchema, state: AppState) -> String {
        if owner.isEmpty { return "" }
        return collection.isOwned(by: state.user, owner: owner) ? "you" : "another user"
    }

    /// `report.pdf · 1.2 MB · application/pdf · archived (restoring)`.
    static func attachmentText(key: String, info: ObjectInfo?) -> String {
        var parts = [info?.fileName ?? AppCore.fileName(ofKey: key)]
        guard let info else { return parts[0] }
        parts.append(TransferView.bytes(Int64(info.size)))
        parts.append(info.contentType)
        if info.tier == .archive {
            switch info.restore {
            case .inProgress?: parts.append("archived (restoring…)")
            case .restored?: parts.append("archived (restored copy ready)")
            case nil: parts.append("archived: R to restore")
            }
        }
        return parts.joined(separator: " · ")
    }

    static func fullText(_ value: JSONValue?, kind: FieldKind) -> String {
        switch value {
        case .string(let text)?: return text
        case nil, .null?: return ""
        case let other?: return FieldFormatter.format(other, kind: kind)
        }
    }

}
