/// How far the screen showing (a record's detail, a notification, the message log) is scrolled, in lines.
///
/// How many lines there are depends on the terminal's width, which the renderer knows: after drawing, the UI loop
/// reports the furthest the screen can scroll (`AppEvent.measured`), and scrolling stops there.
public struct Scroll: Sendable, Equatable {
    public var offset = 0
    /// The furthest line the top can be on; nil until measured.
    public var limit: Int?
    /// Lines a page moves.
    public var page = 10

    public init() {}

    /// Moves for a scrolling key (↑↓ jk, PgUp PgDn Ctrl-B Ctrl-F Space, g G Home End); false for other keys.
    public mutating func handle(_ key: Key) -> Bool {
        let delta: Int
        switch key {
        case .down, .character("j"): delta = 1
        case .up, .character("k"): delta = -1
        case .pageDown, .control("f"), .character(" "): delta = max(page, 1)
        case .pageUp, .control("b"): delta = -max(page, 1)
        case .home, .character("g"): delta = Int.min / 2
        case .end, .character("G"): delta = Int.max / 2
        default: return false
        }
        let top = limit ?? Int.max / 2
        offset = min(max(min(offset, top) + delta, 0), top)
        return true
    }

    /// Back to the top (another screen, another record).
    public mutating func reset() {
        offset = 0
        limit = nil
    }
}
