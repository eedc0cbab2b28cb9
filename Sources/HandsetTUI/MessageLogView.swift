import Foundation
import HandsetApp

/// Every message of this session (`M`), oldest first, each with its time, scrolled to the newest.
public enum MessageLogView {
    public static func render(_ state: AppState, timeZone: TimeZone = .current, into grid: inout CellGrid) {
        let frame = frame(width: grid.width, height: grid.height)
        grid.fill(x: frame.left, y: frame.top, width: frame.width, height: frame.height, role: .statusBar)
        grid.put(" Messages  (↑↓ scroll, any other key closes)", x: frame.left + 1, y: frame.top, role: .statusOnline)
        let content = lines(state, width: frame.width - 4, timeZone: timeZone)
        let rows = frame.height - 2
        let limit = max(content.count - rows, 0)
        let top = min(state.scroll.offset, limit)
        if content.isEmpty {
            grid.put("No messages yet", x: frame.left + 2, y: frame.top + 2, role: .statusBar)
        }
        for (index, line) in content.dropFirst(top).prefix(rows).enumerated() {
            grid.put(line.text, x: frame.left + 2, y: frame.top + 1 + index, role: line.role)
        }
        grid.cursor = nil
    }

    static func frame(width: Int, height: Int) -> (left: Int, top: Int, width: Int, height: Int) {
        (1, 1, max(width - 2, 4), max(height - 2, 3))
    }

    static func lines(_ state: AppState, width: Int, timeZone: TimeZone) -> [(text: String, role: StyleRole)] {
        var result: [(String, StyleRole)] = []
        for entry in state.messages.entries {
            let time = entry.at.map { TimeText.format($0, "HH:mm:ss", timeZone: timeZone) } ?? "        "
            let role: StyleRole = entry.message.kind == .error ? .error : .statusBar
            let wrapped = TextWidth.wrap(entry.message.text, to: max(width - 10, 8))
            for (index, piece) in wrapped.enumerated() {
                result.append(((index == 0 ? time : "        ") + "  " + piece, role))
            }
        }
        return result
    }

    static func scrollLimit(_ state: AppState, width: Int, height: Int, timeZone: TimeZone) -> Int {
        let frame = frame(width: width, height: height)
        return max(lines(state, width: frame.width - 4, timeZone: timeZone).count - (frame.height - 2), 0)
    }
}
