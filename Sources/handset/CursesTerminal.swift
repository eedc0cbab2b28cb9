import CNCursesw
import Foundation
import HandsetApp
import HandsetTUI

/// The only code that talks to ncurses: starts and stops the terminal, reads keys, copies grids to the screen.
///
/// Every call happens on the thread that runs the UI loop; nothing else touches curses.
final class CursesTerminal {
    private var pairs: [StyleRole: attr_t] = [:]
    private(set) var isActive = false

    /// Takes over the terminal. Call `stop()` before exiting, also on errors.
    func start(theme: Theme, useColor: Bool) {
        setlocale(LC_ALL, "")
        initscr()
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(hs_stdscr(), true)
        // Esc must respond at once; curses waits a whole second by default to see if a sequence follows.
        set_escdelay(25)
        curs_set(0)
        wtimeout(hs_stdscr(), 50)
        apply(theme: theme, useColor: useColor && has_colors())
    }

    func stop() {
        guard isActive else { return }
        isActive = false
        endwin()
    }

    var size: (width: Int, height: Int) { (Int(hs_cols()), Int(hs_lines())) }

    private func apply(theme: Theme, useColor: Bool) {
        if useColor {
            start_color()
            use_default_colors()
        }
        var next: Int16 = 1
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            var attributes = hs_a_normal()
            if style.bold { attributes |= hs_a_bold() }
            if style.dim { attributes |= hs_a_dim() }
            if style.underline { attributes |= hs_a_underline() }
            if style.reverse { attributes |= hs_a_reverse() }
            if useColor, style.foreground != .terminalDefault || style.background != .terminalDefault,
                Int(next) < Int(hs_color_pairs())
            {
                init_pair(next, color(style.foreground), color(style.background))
                attributes |= hs_color_pair(Int32(next))
                next += 1
            }
            pairs[role] = attributes
        }
    }

    private func color(_ color: TerminalColor) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .basic(let index): return Int16(index)
        case .indexed(let index): return Int(hs_colors()) > index ? Int16(index) : Int16(index % 8)
        }
    }

    /// Copies `grid` to the screen; curses sends only what changed.
    func draw(_ grid: CellGrid) {
        werase(hs_stdscr())
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                let role = grid[x, y].role
                let start = x
                var run = ""
                while x < grid.width, grid[x, y].role == role {
                    if !grid[x, y].isContinuation { run += grid[x, y].text }
                    x += 1
                }
                // The bottom-right cell cannot be written without scrolling; curses reports ERR there, harmlessly.
                hs_put(Int32(y), Int32(start), run, pairs[role] ?? hs_a_normal())
            }
        }
        wrefresh(hs_stdscr())
    }

    /// Waits up to the input timeout for a key. `nil` when none came.
    func readKey() -> TerminalInput? {
        var character: wint_t = 0
        let result = hs_get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_RESIZE: return .resize
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_ENTER: return .key(.enter)
            case KEY_BTAB: return .key(.backTab)
            default: return nil
            }
        }
        switch character {
        case 13, 10: return .key(.enter)
        case 9: return .key(.tab)
        case 27: return .key(.escape)
        case 127, 8: return .key(.backspace)
        case 1...26:
            let letter = Character(UnicodeScalar(UInt8(character) + 96))
            return .key(.control(letter))
        default:
            guard let scalar = UnicodeScalar(UInt32(character)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}

/// What the terminal delivers.
enum TerminalInput: Equatable {
    case key(Key)
    case resize
}
