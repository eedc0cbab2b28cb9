import HandsetApp

/// A yes/no question in a box in the middle of the screen, over whatever shows.
public enum ConfirmationView {
    public static func render(_ confirmation: Confirmation, into grid: inout CellGrid) {
        let width = min(grid.width - 4, 64)
        guard width > 8 else { return }
        let lines = TextWidth.wrap(confirmation.question, to: width - 4)
        let height = min(lines.count + 2, grid.height)
        let left = (grid.width - width) / 2
        let top = max((grid.height - height) / 2, 0)
        grid.fill(x: left, y: top, width: width, height: height, role: .error)
        for (index, line) in lines.prefix(height - 2).enumerated() {
            grid.put(line, x: left + 2, y: top + 1 + index, role: .selection)
        }
        // The question has the keys: no text input's cursor shows through it.
        grid.cursor = nil
    }
}
