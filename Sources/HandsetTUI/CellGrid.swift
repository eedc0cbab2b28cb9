/// One terminal cell: a grapheme (or empty, for the right half of a wide one) and its role.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var role: StyleRole
    /// True for the second column of a double-width character; the terminal draws nothing there.
    public var isContinuation: Bool

    public static let blank = Cell(text: " ", role: .normal, isContinuation: false)
}

/// An in-memory screen: every view renders into one, the curses backend copies it to the terminal, and
/// snapshot tests compare its text and roles with files.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor shows (the focused text input's insertion point); nil hides it.
    public var cursor: CellPosition?

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Copies the rows `rows` of `other` into this grid at the same rows, starting at column `x` (clipped).
    public mutating func paste(_ other: CellGrid, rows: Range<Int>, x: Int) {
        for row in rows where row >= 0 && row < height && row < other.height {
            for column in 0..<other.width where x + column >= 0 && x + column < width {
                cells[row * width + x + column] = other[column, row]
            }
        }
    }

    /// Fills a rectangle with blanks of `role`.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, role: StyleRole) {
        for row in max(y, 0)..<min(y + height, self.height) {
            for column in max(x, 0)..<min(x + width, self.width) {
                cells[row * self.width + column] = Cell(text: " ", role: role, isContinuation: false)
            }
        }
    }

    /// Writes `text` from column `x` on row `y`, clipped to `maxWidth` columns (and the grid), laying wide
    /// characters out by their width. A wide character that would straddle the edge becomes a space.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? width, width - max(x, 0))
        var column = 0
        for character in text {
            let characterWidth = TextWidth.width(of: character)
            if characterWidth == 0 { continue }
            if column + characterWidth > limit {
                if column < limit, x + column >= 0 {
                    cells[y * width + x + column] = Cell(text: " ", role: role, isContinuation: false)
                    column += 1
                }
                break
            }
            let printable = character.isControl ? "?" : String(character)
            if x + column >= 0 {
                cells[y * width + x + column] = Cell(text: printable, role: role, isContinuation: false)
                if characterWidth == 2 {
                    cells[y * width + x + column + 1] = Cell(text: "", role: role, isContinuation: true)
                }
            }
            column += characterWidth
        }
        return column
    }

    /// The grid's text, one line per row, trailing spaces removed.
    public var text: String {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width where !self[column, row].isContinuation {
                line += self[column, row].text
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

/// A cell's column and row.
public struct CellPosition: Sendable, Equatable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

extension Character {
    fileprivate var isControl: Bool {
        unicodeScalars.allSatisfy { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }
    }
}
