/// A key press, independent of the terminal library that read it.
public enum Key: Sendable, Equatable {
    case character(Character)
    case control(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, pageUp, pageDown, home, end
}
