import HandsetApp
import HandsetModel
import HandsetWire

/// One record: every field formatted by its type, server fields last.
public enum DetailView {
    public static func render(_ state: AppState, recordId: String, confirmingDelete: Bool, into grid: inout CellGrid) {
        let focused = state.detail.focusedRecord?.id == recordId ? state.detail.focusedRecord : nil
        guard let collection = state.currentCollection,
            let record = state.list?.window.first(where: { $0.id == recordId }) ?? focused
        else {
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

        let labels = collection.fields.map(\.name) + [RecordField.updatedAt]
        let labelWidth = min(max(labels.map { FieldFormatter.label(for: $0).count }.max() ?? 8, 8) + 2, 24)
        var y = 5
        let bottom = grid.height - 3
        let userFields = collection.fields.filter { !RecordField.serverManaged.contains($0.name) }
        let serverFields = [RecordField.id, RecordField.version, RecordField.updatedAt, RecordField.owner]
        func line(_ label: String, _ value: String, role: StyleRole) {
            guard y < bottom else { return }
            grid.put(TextWidth.truncate(label, to: labelWidth - 1), x: 2, y: y, role: .fieldLabel)
            let width = grid.width - labelWidth - 4
            // Long text wraps onto following lines, as many as fit.
            var rest = value.isEmpty ? "—" : value
            var first = true
            for paragraph in rest.split(separator: "\n", omittingEmptySubsequences: false) {
                rest = String(paragraph)
                repeat {
                    guard y < bottom else { return }
                    let piece = prefix(rest, width: width)
                    grid.put(piece, x: 2 + labelWidth, y: y, role: value.isEmpty && first ? .dim : role)
                    rest = String(rest.dropFirst(piece.count))
                    y += 1
                    first = false
                } while !rest.isEmpty
            }
        }
        for field in userFields {
            if field.kind == .objectKey, case .string(let key)? = record.fields[field.name], !key.isEmpty {
                line(
                    FieldFormatter.label(for: field.name), attachmentText(key: key, info: state.attachments.info[key]),
                    role: .normal)
                continue
            }
            line(
                FieldFormatter.label(for: field.name), fullText(record.fields[field.name], kind: field.kind),
                role: .normal)
        }
        y += 1
        for name in serverFields {
            line(FieldFormatter.label(for: name), fullText(record.value(of: name), kind: .text), role: .dim)
        }
        if confirmingDelete {
            let text = " Delete \"\(TextWidth.truncate(title, to: 30))\"? y to delete, any other key to keep "
            let width = TextWidth.width(of: text)
            let x = max((grid.width - width) / 2, 0)
            grid.fill(x: x, y: grid.height / 2, width: width, height: 1, role: .error)
            grid.put(text, x: x, y: grid.height / 2, role: .selection)
        }
    }

    /// `report.pdf · 1.2 MB · application/pdf · archived (restoring)`.
    static func attachmentText(key: String, info: ObjectInfo?) -> String {
        var parts = [AppCore.fileName(ofKey: key)]
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

    static func prefix(_ text: String, width: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let characterWidth = TextWidth.width(of: character)
            if used + characterWidth > width { break }
            result.append(character)
            used += characterWidth
        }
        return result.isEmpty ? String(text.prefix(1)) : result
    }
}
