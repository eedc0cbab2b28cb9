import HandsetApp
import HandsetWire

/// The notification inbox: newest first, unread marked, the selected one's body below.
public enum InboxView {
    /// Rows under the list for the selected notification's text.
    static let bodyRows = 4

    public static func render(_ items: [InboxItem], selected: Int, unread: Int, into grid: inout CellGrid) {
        grid.put("Notifications", x: 2, y: 2, role: .title)
        grid.put(unread > 0 ? "\(unread) unread" : "all read", x: 17, y: 2, role: .dim)
        guard !items.isEmpty else {
            grid.put("Nothing yet. New notifications appear here and as a message below.", x: 2, y: 4, role: .dim)
            return
        }
        let rows = max(grid.height - 8 - bodyRows, 1)
        let top = max(0, selected - rows + 1)
        for (offset, index) in (top..<items.count).prefix(rows).enumerated() {
            let item = items[index]
            let y = 4 + offset
            let isSelected = index == selected
            if isSelected { grid.fill(x: 0, y: y, width: grid.width, height: 1, role: .selection) }
            grid.put(item.read ? " " : "●", x: 1, y: y, role: isSelected ? .selection : .badgePending)
            let time = String(item.createdAt.replacingOccurrences(of: "T", with: " ").prefix(16))
            grid.put(time, x: 3, y: y, role: isSelected ? .selection : .dim)
            let link = item.link.map { "  → \($0.collection)" } ?? ""
            grid.put(
                TextWidth.truncate(item.title + link, to: grid.width - 22), x: 21, y: y,
                role: isSelected ? .selection : (item.read ? .normal : .fieldLabel))
        }
        if items.indices.contains(selected) {
            let y = grid.height - 3 - bodyRows
            grid.put(TextWidth.truncate(items[selected].body, to: grid.width - 4), x: 2, y: y + 1, role: .normal)
        }
    }
}
