import HandsetApp
import HandsetModel

/// Writes the server refused, beside the conflicts: the record, what was refused, and why.
public enum RefusedView {
    public static func render(_ refusals: [Refusal], selected: Int, into grid: inout CellGrid) {
        grid.put("Refused by the server", x: 2, y: 2, role: .title)
        grid.put("fix the record and save it again, or discard the write", x: 25, y: 2, role: .dim)
        guard !refusals.isEmpty else {
            grid.put("Nothing refused.", x: 2, y: 4, role: .dim)
            return
        }
        let rows = max((grid.height - 8) / 2, 1)
        let top = max(0, selected - rows + 1)
        for (offset, index) in (top..<refusals.count).prefix(rows).enumerated() {
            let refusal = refusals[index]
            let y = 4 + offset * 2
            let isSelected = index == selected
            if isSelected { grid.fill(x: 0, y: y, width: grid.width, height: 2, role: .selection) }
            let kind = refusal.isForbidden ? "forbidden" : "refused"
            let heading = "\(refusal.collection)/\(refusal.recordId)  \(refusal.operation.rawValue) \(kind)"
            grid.put(
                TextWidth.truncate(heading, to: grid.width - 4), x: 2, y: y,
                role: isSelected ? .selection : .badgeConflict)
            grid.put(
                TextWidth.truncate(refusal.reason, to: grid.width - 6), x: 4, y: y + 1,
                role: isSelected ? .selection : .normal)
        }
    }
}
