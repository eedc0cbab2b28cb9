import HandsetApp

/// A progress bar for an upload or download, and the one-line path prompt.
public enum TransferView {
    public static func render(_ transfer: TransferState, row: Int, into grid: inout CellGrid) {
        guard row > 2 else { return }
        grid.fill(x: 0, y: row, width: grid.width, height: 1, role: .statusBar)
        let amount = transfer.total > 0 ? "\(bytes(transfer.done)) of \(bytes(transfer.total))" : bytes(transfer.done)
        let label = " \(transfer.title)  \(amount) "
        let used = grid.put(TextWidth.truncate(label, to: grid.width / 2), x: 0, y: row, role: .statusBar)
        let barWidth = grid.width - used - 7
        guard barWidth >= 5 else { return }
        grid.put(bar(transfer.fraction, width: barWidth), x: used, y: row, role: .statusOnline)
        if let fraction = transfer.fraction {
            grid.put(" \(Int(fraction * 100))%", x: used + barWidth, y: row, role: .statusBar)
        }
    }

    public static func render(_ prompt: PromptState, row: Int, into grid: inout CellGrid) {
        guard row > 2 else { return }
        grid.fill(x: 0, y: row, width: grid.width, height: 1, role: .fieldFocused)
        let label = " \(prompt.title): "
        let used = grid.put(label, x: 0, y: row, role: .fieldFocused)
        InputView.render(
            prompt.text, cursor: prompt.input.cursor, x: used, y: row, width: grid.width - used - 1,
            role: .fieldFocused, focused: true, into: &grid)
    }

    /// `[██████▌      ]`-style bar with eighth blocks; an unknown total shows a plain track.
    static func bar(_ fraction: Double?, width: Int) -> String {
        let inner = max(width - 2, 1)
        guard let fraction else { return "[" + String(repeating: "·", count: inner) + "]" }
        let eighths = Int((fraction * Double(inner * 8)).rounded(.down))
        let full = min(eighths / 8, inner)
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        var body = String(repeating: "█", count: full)
        if full < inner { body += partial }
        body += String(repeating: " ", count: max(inner - TextWidth.width(of: body), 0))
        return "[" + body + "]"
    }

    /// `1.5 MB`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}
