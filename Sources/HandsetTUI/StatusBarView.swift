import Foundation
import HandsetApp

/// The status bar: online or offline, syncing, when last synced, the latest message.
public enum StatusBarView {
    public static func render(_ state: AppState, timeZone: TimeZone, now: Date, row: Int, into grid: inout CellGrid) {
        // A note that fits goes on the bar; a longer one is drawn wrapped above it (`renderMessageBand`), never cut.
        let x = renderBar(state, timeZone: timeZone, now: now, row: row, into: &grid)
        if let (text, role) = note(state), TextWidth.width(of: text) <= grid.width - x - 3 {
            grid.put("  " + text, x: x, y: row, role: role)
        }
    }

    /// The message to show, or why the app is offline.
    static func note(_ state: AppState) -> (String, StyleRole)? {
        if let message = state.message { return (message.text, message.kind == .error ? .error : .statusBar) }
        if case .offline(let reason) = state.sync.connectivity { return (reason, .statusBar) }
        return nil
    }

    /// Draws the bar but its note; returns the column where the note would start.
    @discardableResult
    static func renderBar(_ state: AppState, timeZone: TimeZone, now: Date, row: Int, into grid: inout CellGrid) -> Int
    {
        guard row >= 0, row < grid.height else { return 0 }
        grid.fill(x: 0, y: row, width: grid.width, height: 1, role: .statusBar)
        var x = 1
        switch state.sync.connectivity {
        case .online:
            x += grid.put("● online", x: x, y: row, role: .statusOnline)
        case .offline:
            x += grid.put("○ offline", x: x, y: row, role: .statusOffline)
        case .unknown:
            x += grid.put("◌ connecting", x: x, y: row, role: .statusBar)
        }
        var parts: [String] = []
        if state.sync.isSyncing {
            switch state.sync.progress {
            case .pushing(let done, let total)?: parts.append("sending \(done)/\(total)…")
            case .pulling(_, let done)?: parts.append("syncing… \(done) received")
            case nil: parts.append("syncing…")
            }
        } else if let last = state.sync.lastSyncedAt {
            parts.append("synced \(time(last, timeZone: timeZone, now: now))")
        } else {
            parts.append("never synced")
        }
        if let list = state.list {
            let singular = state.currentCollection?.typeName.lowercased() ?? list.collection
            parts.append("\(list.total) \(list.total == 1 ? singular : list.collection)")
        }
        if state.sync.pendingCount > 0 { parts.append("↑\(state.sync.pendingCount) pending") }
        if state.sync.conflictCount > 0 { parts.append("!\(state.sync.conflictCount) conflicts") }
        if !state.sync.refusals.isEmpty { parts.append("!\(state.sync.refusals.count) refused") }
        if state.inbox.unreadCount > 0 { parts.append("✉ \(state.inbox.unreadCount)") }
        x += grid.put("  " + parts.joined(separator: " · "), x: x, y: row, role: .statusBar)
        return x
    }

    /// Lines the band above the status bar may take before it says the rest is in the message log.
    static let bandRows = 4

    /// The message that does not fit in the status bar, wrapped on rows just above it (over the screen's bottom
    /// rows, until it fades or is replaced); `M` shows every message in full.
    public static func renderMessageBand(
        _ state: AppState, timeZone: TimeZone, now: Date, row: Int, into grid: inout CellGrid
    ) {
        guard let (text, role) = note(state), row > 3 else { return }
        var scratch = CellGrid(width: grid.width, height: 1)
        let x = renderBar(state, timeZone: timeZone, now: now, row: 0, into: &scratch)
        guard TextWidth.width(of: text) > grid.width - x - 3 else { return }
        var lines = TextWidth.wrap(text, to: grid.width - 4)
        let most = min(bandRows, row - 3)
        if lines.count > most {
            lines = Array(lines.prefix(most))
            lines[most - 1] = TextWidth.truncate(lines[most - 1] + " …", to: grid.width - 22) + " (M: all messages)"
        }
        let top = row - lines.count
        grid.fill(x: 0, y: top, width: grid.width, height: lines.count, role: .statusBar)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: 2, y: top + index, role: role)
        }
    }

    static func time(_ date: Date, timeZone: TimeZone, now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        formatter.dateFormat = calendar.isDate(date, inSameDayAs: now) ? "HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
