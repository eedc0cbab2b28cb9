/// The bottom line: the current screen's keys.
public enum KeyHints {
    public static func render(_ hints: [(key: String, action: String)], row: Int, into grid: inout CellGrid) {
        guard row >= 0, row < grid.height else { return }
        grid.fill(x: 0, y: row, width: grid.width, height: 1, role: .hint)
        var x = 1
        for (key, action) in hints {
            let needed = TextWidth.width(of: key) + 1 + TextWidth.width(of: action) + 2
            if x + needed > grid.width { break }
            x += grid.put(key, x: x, y: row, role: .hintKey)
            x += 1
            x += grid.put(action, x: x, y: row, role: .hint)
            x += 2
        }
    }
}
