/// A one-line text input: the part of the text around the cursor that fits, with the terminal's cursor in it.
enum InputView {
    /// Draws `text` in `width` columns from (x, y). When focused, the terminal's cursor goes where typing goes.
    /// `mask` hides every character (passwords); line breaks show as `⏎`.
    static func render(
        _ text: String, cursor: Int, x: Int, y: Int, width: Int, role: StyleRole, focused: Bool,
        mask: Character? = nil, into grid: inout CellGrid
    ) {
        guard width > 0 else { return }
        let characters = text.map { character -> Character in
            if let mask { return mask }
            return character == "\n" ? "⏎" : character
        }
        let cursor = min(max(cursor, 0), characters.count)
        // Scroll so that the cursor (and one cell after it) is in view.
        var start = 0
        while start < cursor, TextWidth.width(of: String(characters[start..<cursor])) > width - 1 { start += 1 }
        grid.put(String(characters[start...]), x: x, y: y, role: role, maxWidth: width)
        if focused {
            grid.cursor = CellPosition(x: x + TextWidth.width(of: String(characters[start..<cursor])), y: y)
        }
    }
}
