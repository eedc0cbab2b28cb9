import Foundation
import HandsetApp
import HandsetWire

/// The notification inbox: newest first, unread marked, the selected one's text below; and one notification in
/// full, scrolled.
public enum InboxView {
    /// Rows under the list for the selected notification's text.
    static let bodyRows = 4

    public static func render(
        _ items: [InboxItem], selected: Int, unread: Int, timeZone: TimeZone = .current, into grid: inout CellGrid
    ) {
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
            grid.put(time(item.createdAt, timeZone: timeZone), x: 3, y: y, role: isSelected ? .selection : .dim)
            let link = item.link.map { "  → \($0.collection)" } ?? ""
            grid.put(
                TextWidth.truncate(item.title + link, to: grid.width - 22), x: 21, y: y,
                role: isSelected ? .selection : (item.read ? .normal : .fieldLabel))
        }
        guard items.indices.contains(selected) else { return }
        // The selected one's text, its lines as lines, as much as fits; Space shows the rest.
        let y = grid.height - 3 - bodyRows
        let lines = TextWidth.wrap(items[selected].body, to: grid.width - 4)
        let shown = lines.count > bodyRows ? bodyRows - 1 : bodyRows
        for (index, line) in lines.prefix(shown).enumerated() {
            grid.put(line, x: 2, y: y + index, role: .normal)
        }
        if lines.count > shown {
            grid.put("… Space shows it all", x: 2, y: y + shown, role: .dim)
        }
    }

    /// One notification in full: its title, when it came, what it is about, every line of its text.
    public static func renderFull(
        _ item: InboxItem, scroll: Int, timeZone: TimeZone = .current, into grid: inout CellGrid
    ) {
        let content = lines(item, width: grid.width - 4, timeZone: timeZone)
        let rows = body(height: grid.height)
        let limit = max(content.count - rows.count, 0)
        let top = min(scroll, limit)
        for (index, line) in content.dropFirst(top).prefix(rows.count).enumerated() {
            grid.put(line.text, x: 2, y: rows.lowerBound + index, role: line.role)
        }
        if limit > 0 {
            let note = "lines \(top + 1)–\(min(top + rows.count, content.count)) of \(content.count) · ↑↓ PgUp PgDn"
            grid.put(note, x: max(grid.width - TextWidth.width(of: note) - 2, 2), y: grid.height - 3, role: .dim)
        }
    }

    static func body(height: Int) -> Range<Int> { 2..<max(height - 3, 2) }

    static func lines(_ item: InboxItem, width: Int, timeZone: TimeZone) -> [(text: String, role: StyleRole)] {
        var result: [(String, StyleRole)] = TextWidth.wrap(item.title, to: width).map { ($0, .title) }
        var about = [fullTime(item.createdAt, timeZone: timeZone)]
        if let topic = item.topic { about.append("topic \(topic)") }
        if let link = item.link { about.append("about a record in \(link.collection): Enter opens it") }
        result += TextWidth.wrap(about.joined(separator: " · "), to: width).map { ($0, .dim) }
        result.append(("", .normal))
        result += TextWidth.wrap(item.body.isEmpty ? "(no text)" : item.body, to: width).map { ($0, .normal) }
        return result
    }

    static func scrollLimit(_ item: InboxItem, width: Int, height: Int, timeZone: TimeZone) -> Int {
        max(lines(item, width: width - 4, timeZone: timeZone).count - body(height: height).count, 0)
    }

    /// When a notification came, in the local zone.
    static func time(_ text: String, timeZone: TimeZone) -> String {
        guard let date = TimeText.parse(text) else { return String(text.prefix(16)) }
        return TimeText.short(date, timeZone: timeZone)
    }

    static func fullTime(_ text: String, timeZone: TimeZone) -> String {
        guard let date = TimeText.parse(text) else { return text }
        return TimeText.full(date, timeZone: timeZone)
    }
}
