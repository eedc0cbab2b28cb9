import HandsetApp
import HandsetModel
import HandsetWire

/// A conflict: this device's version and the server's side by side, changed fields marked, the chosen side lit.
public enum ConflictsView {
    public static func render(_ screen: ConflictsState, into grid: inout CellGrid) {
        guard let conflict = screen.current else {
            grid.put("No conflicts", x: 2, y: 3, role: .dim)
            return
        }
        let heading =
            "Conflict \(screen.index + 1) of \(screen.conflicts.count): \(conflict.collection)/\(conflict.recordId)"
        grid.put(TextWidth.truncate(heading, to: grid.width - 4), x: 2, y: 2, role: .title)
        let summary: String
        if conflict.mine == nil {
            summary = "You deleted it here; it was changed on the server. m keeps your delete, t keeps theirs."
        } else if conflict.theirs == nil {
            summary = "It was deleted on the server; you changed it here. m restores yours, t accepts the delete."
        } else {
            summary = "Both sides changed it. ←→ picks a side per field, Enter saves the mix."
        }
        grid.put(TextWidth.truncate(summary, to: grid.width - 4), x: 2, y: 3, role: .dim)

        let labelWidth = 14
        let columnWidth = max((grid.width - labelWidth - 6) / 2, 8)
        let mineX = 2 + labelWidth
        let theirsX = mineX + columnWidth + 2
        grid.put("Field", x: 2, y: 5, role: .columnHeader)
        grid.put(TextWidth.pad("Mine (this device)", to: columnWidth), x: mineX, y: 5, role: .columnHeader)
        grid.put(
            TextWidth.pad("Theirs (server v\(conflict.theirs?.version ?? 0))", to: columnWidth), x: theirsX, y: 5,
            role: .columnHeader)
        let differing = Set(conflict.differingFields)
        for (row, field) in screen.fields.enumerated() {
            let y = 6 + row
            guard y < grid.height - 3 else { break }
            let focused = row == screen.fieldIndex
            let changed = differing.contains(field)
            let side = screen.choices[field] ?? .mine
            grid.put(
                (focused ? "▸ " : "  ") + TextWidth.truncate(FieldFormatter.label(for: field), to: labelWidth - 3),
                x: 0, y: y,
                role: changed ? .badgeConflict : .fieldLabel)
            let mine = text(conflict.mine == nil ? nil : conflict.mine?[field], deleted: conflict.mine == nil)
            let theirs = text(conflict.theirs?.fields[field], deleted: conflict.theirs == nil)
            let mineRole: StyleRole = changed && side == .mine ? (focused ? .selection : .fieldFocused) : .normal
            let theirsRole: StyleRole = changed && side == .theirs ? (focused ? .selection : .fieldFocused) : .normal
            grid.put(TextWidth.pad(mine, to: columnWidth), x: mineX, y: y, role: mineRole)
            grid.put(TextWidth.pad(theirs, to: columnWidth), x: theirsX, y: y, role: theirsRole)
        }
    }

    static func text(_ value: JSONValue?, deleted: Bool) -> String {
        if deleted { return "(deleted)" }
        switch value {
        case .string(let text)?: return text.replacingOccurrences(of: "\n", with: " ")
        case nil, .null?: return "—"
        case let other?: return FieldFormatter.format(other, kind: .text)
        }
    }
}
