import CNCursesw
import Foundation
import HandsetApp
import HandsetTUI

/// The only code that talks to ncurses: starts and stops the terminal, reads keys and the mouse, copies grids to
/// the screen, rings the bell.
///
/// Every call happens on the thread that runs the UI loop; nothing else touches curses.
final class CursesTerminal {
    private var pairs: [StyleRole: attr_t] = [:]
    private(set) var isActive = false
    private(set) var depth = ColorDepth.none
    private var mouse = false

    /// Takes over the terminal. Call `stop()` before exiting, also on errors.
    func start(theme: Theme, mouse: Bool) {
        setlocale(LC_ALL, "")
        // The size comes from the terminal itself, not from stale COLUMNS/LINES variables (a shell that exported
        // them before a resize would pin the app to the old size).
        // (use_tioctl: the window size from the terminal wins over the variables; use_env(false) would also skip it.)
        use_tioctl(true)
        // Before curses changes anything: a crash or a kill from now on gives the terminal back first.
        hs_guard_terminal()
        initscr()
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(hs_stdscr(), true)
        hs_define_keys()
        // Esc must respond at once; curses waits a whole second by default to see if a sequence follows.
        set_escdelay(25)
        curs_set(0)
        // Reads never block: the UI loop sleeps in poll() on the terminal and its event pipe instead.
        wtimeout(hs_stdscr(), 0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth(colors: Int(hs_colors()), hasColors: has_colors())
        self.mouse = mouse
        if mouse { hs_enable_mouse() }
        // Pasted text arrives between markers, so a multi-line paste is one insertion, not keys.
        hs_write(Self.bracketedPasteOn)
        apply(theme: theme)
    }

    static let bracketedPasteOn = "\u{1B}[?2004h"
    static let bracketedPasteOff = "\u{1B}[?2004l"

    func stop() {
        guard isActive else { return }
        isActive = false
        hs_write(Self.bracketedPasteOff)
        if mouse { hs_disable_mouse() }
        endwin()
        hs_unguard_terminal()
    }

    /// Gives the terminal to another program for a while (`$EDITOR`), then takes it back: curses' own modes off
    /// (shell modes, the main screen, no mouse or paste reporting), and afterwards everything redrawn and whatever the
    /// terminal still sent to the other program dropped, so none of it is taken for keys.
    func suspend(_ body: () -> Void) {
        guard isActive else { return body() }
        hs_write(Self.bracketedPasteOff)
        if mouse { hs_disable_mouse() }
        endwin()
        hs_lend_terminal()
        body()
        hs_take_back_terminal()
        hs_drain_input(60, 400)
        reset_prog_mode()
        if mouse { hs_enable_mouse() }
        hs_write(Self.bracketedPasteOn)
        hs_repaint_all()
        wrefresh(hs_stdscr())
        flushinp()
    }

    /// Ctrl-Z: the terminal back to the shell and this process stopped until `fg` (or at once back, where no shell
    /// does job control).
    func stopForJobControl() {
        suspend { hs_stop_for_job_control() }
    }

    /// Runs a shell script (with one argument) on the terminal, suspending the screen; its exit status, or -1.
    func run(script: String, name: String, argument: String) -> Int32 {
        var status: Int32 = -1
        suspend { status = hs_run_on_terminal(script, name, argument) }
        return status
    }

    var size: (width: Int, height: Int) { (Int(hs_cols()), Int(hs_lines())) }

    /// Maps every role to curses attributes and colour pairs, with colours the terminal can show.
    func apply(theme: Theme) {
        var next: Int32 = 1
        pairs = [:]
        for role in StyleRole.allCases {
            let style = theme.style(for: role)
            var attributes = hs_a_normal()
            if style.bold { attributes |= hs_a_bold() }
            if style.dim { attributes |= hs_a_dim() }
            if style.underline { attributes |= hs_a_underline() }
            if style.reverse { attributes |= hs_a_reverse() }
            let foreground = depth.number(style.foreground)
            let background = depth.number(style.background)
            if depth != .none, foreground != -1 || background != -1, next < hs_color_pairs() {
                hs_init_pair(next, foreground, background)
                attributes |= hs_color_pair(next)
                next += 1
            }
            pairs[role] = attributes
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
        if let cursor = grid.cursor, cursor.y < grid.height, cursor.x < grid.width {
            hs_place_cursor(Int32(cursor.y), Int32(cursor.x))
        } else {
            hs_place_cursor(-1, -1)
        }
        wrefresh(hs_stdscr())
    }

    /// Writes escape sequences straight to the terminal, after curses has drawn (for alerts).
    func send(_ sequence: String) {
        guard !sequence.isEmpty else { return }
        fflush(nil)
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Waits up to the input timeout for a key. `nil` when none came.
    func readKey() -> TerminalInput? {
        var character: wint_t = 0
        let result = hs_get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case Int32(HS_KEY_PASTE_START): return .key(.paste(readPaste()))
            case Int32(HS_KEY_PASTE_END): return nil
            case Int32(HS_KEY_CONTROL_LEFT): return .key(.controlLeft)
            case Int32(HS_KEY_CONTROL_RIGHT): return .key(.controlRight)
            case KEY_RESIZE: return .resize
            case KEY_MOUSE:
                var x: Int32 = 0
                var y: Int32 = 0
                switch hs_read_mouse(&x, &y) {
                case 1: return .mouse(.click, x: Int(x), y: Int(y))
                case 2: return .mouse(.doubleClick, x: Int(x), y: Int(y))
                case 3: return .mouse(.wheelUp, x: Int(x), y: Int(y))
                case 4: return .mouse(.wheelDown, x: Int(x), y: Int(y))
                default: return nil
                }
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
        case 27:
            // Alt-x arrives as Esc and x together; Esc alone has nothing right behind it.
            var next: wint_t = 0
            switch hs_get_wch(&next) {
            case OK:
                switch next {
                case 127, 8: return .key(.alt("\u{7F}"))
                case 32...126: return .key(.alt(Character(UnicodeScalar(UInt8(next)))))
                default: unget_wch(wchar_t(next))
                }
            case KEY_CODE_YES:
                // A function key or a resize right behind Esc is its own input: put it back for the next read.
                ungetch(Int32(next))
            default:
                break
            }
            return .key(.escape)
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

extension CursesTerminal {
    /// Reads a bracketed paste up to its end marker (waiting a little for the rest of a long paste to arrive).
    fileprivate func readPaste() -> String {
        hs_set_read_timeout(200)
        defer { hs_set_read_timeout(0) }
        var text = ""
        while true {
            var character: wint_t = 0
            let result = hs_get_wch(&character)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(character) == Int32(HS_KEY_PASTE_END) { break }
                // A pasted sequence curses took for a key (rare): the Enter key is a line break, the rest goes.
                if Int32(character) == KEY_ENTER { text.append("\n") }
                continue
            }
            switch character {
            case 13: text.append("\r")
            default:
                if let scalar = UnicodeScalar(UInt32(character)) { text.unicodeScalars.append(scalar) }
            }
        }
        return text
    }
}

/// What the terminal delivers.
enum TerminalInput: Equatable {
    case key(Key)
    case mouse(MouseAction, x: Int, y: Int)
    case resize
}
