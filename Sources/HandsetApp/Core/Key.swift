/// A key press, independent of the terminal library that read it.
public enum Key: Sendable, Equatable {
    case character(Character)
    case control(Character)
    /// Alt (Meta) with a character: what terminals send as Esc followed by it.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, pageUp, pageDown, home, end
    /// Ctrl-← and Ctrl-→: a word back, a word on.
    case controlLeft, controlRight
    /// Text pasted into the terminal (bracketed paste): one insertion, however many lines.
    case paste(String)
}
