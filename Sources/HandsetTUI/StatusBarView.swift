import Foundation
import HandsetApp

/// The status bar: online or offline, syncing, when last synced, the latest message.
public enum StatusBarView {
    public static func render(_ state: AppState, timeZone: TimeZone, now: Date, row: Int, into grid: inout CellGrid) {
        guard row >= 0, row < grid.height else { return }
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
        var note: (String, StyleRole)?
        if let message = state.message {
            note = (message.text, message.kind == .error ? .error : .statusBar)
        } else if case .offline(let reason) = state.sync.connectivity {
            note = (reason, .statusBar)
        }
        if let (text, role) = note {
            let room = grid.width - x - 3
            if room > 8 { grid.put("  " + TextWidth.truncate(text, to: room), x: x, y: row, role: role) }
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
