import HandsetApp
import HandsetModel
import HandsetWire

/// A conflict: this device's version and the server's side by side, changed fields marked, the chosen side lit.
public enum ConflictsView {
    /// `fileNames` (by key) and `related` (titles by `collection/id`) let files and related records read by name.
    public static func render(
        _ screen: ConflictsState, schema: APISchema? = nil, fileNames: [String: String] = [:],
        related: [String: String] = [:], into grid: inout CellGrid
    ) {
        guard let conflict = screen.current else {
            grid.put("No conflicts", x: 2, y: 3, role: .dim)
            return
        }
        // The record by its title (either side's), the collection beside it; the id only when there is no title.
        let titleField = schema?.collection(named: conflict.collection)?.titleField ?? "title"
        let titleValue = conflict.mine?[titleField] ?? conflict.theirs?.fields[titleField]
        let title = titleValue?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? conflict.recordId
        let heading = "Conflict \(screen.index + 1) of \(screen.conflicts.count): \(title) (\(conflict.collection))"
        grid.put(TextWidth.truncate(heading, to: grid.width - 4), x: 2, y: 2, role: .title)
        let summary: String
        if conflict.mine == nil {
            summary = "You deleted it here; it was changed on the server. m keeps your delete, t keeps theirs."
        } else if conflict.theirs == nil {
            summary = "It was deleted on the server; you changed it here. m restores yours, t accepts the delete."
        } else {
            summary = "• marks what changed since you both had it; ←→ picks the side to keep."
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
        let bottom = grid.height - 2
        for (row, field) in screen.fields.enumerated() {
            let y = 6 + row
            guard y < bottom else { break }
            let focused = row == screen.fieldIndex
            let change = screen.change(of: field)
            let side = screen.choices[field]
            // Fields both sides changed are marked !, and stay unlit until a side is picked.
            let marker = change == .both ? "!" : " "
            grid.put(
                (focused ? "▸" : " ") + marker
                    + TextWidth.truncate(FieldFormatter.label(for: field), to: labelWidth - 3),
                x: 0, y: y, role: change == .both ? .badgeConflict : (change == .neither ? .fieldLabel : .fieldLabel))
            let mineChanged = change == .mine || change == .both
            let theirsChanged = change == .theirs || change == .both
            let definition = schema?.collection(named: conflict.collection)?.field(named: field)
            func shown(_ value: JSONValue?) -> JSONValue? {
                // Files by name and related records by title, as everywhere else.
                guard case .string(let text)? = value, !text.isEmpty, let definition else { return value }
                if definition.kind == .objectKey { return .string(fileNames[text] ?? AppCore.fileName(ofKey: text)) }
                if let target = definition.references, let title = related["\(target)/\(text)"] {
                    return .string(title)
                }
                return value
            }
            let mine = (mineChanged ? "• " : "  ") + text(shown(conflict.mine?[field]), deleted: conflict.mine == nil)
            let theirs =
                (theirsChanged ? "• " : "  ")
                + text(shown(conflict.theirs?.fields[field]), deleted: conflict.theirs == nil)
            func role(_ chosen: Bool) -> StyleRole {
                guard change != .neither, chosen else { return change == .neither ? .dim : .normal }
                return focused ? .selection : .fieldFocused
            }
            grid.put(
                TextWidth.pad(TextWidth.truncate(mine, to: columnWidth), to: columnWidth), x: mineX, y: y,
                role: role(side == .mine))
            grid.put(
                TextWidth.pad(TextWidth.truncate(theirs, to: columnWidth), to: columnWidth), x: theirsX, y: y,
                role: role(side == .theirs))
        }
        // What still needs a pick, under the summary (the rows above the status bar may hold a message).
        let unchosen = screen.unchosen
        if let notice = screen.notice {
            grid.put(TextWidth.truncate(notice, to: grid.width - 4), x: 2, y: 4, role: .error)
        } else if !unchosen.isEmpty, conflict.mine != nil, conflict.theirs != nil {
            let names = unchosen.map { FieldFormatter.label(for: $0) }.joined(separator: ", ")
            grid.put(
                TextWidth.truncate("! changed on both sides, pick one with ← or →: \(names)", to: grid.width - 4), x: 2,
                y: 4, role: .badgeConflict)
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
