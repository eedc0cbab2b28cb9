import HandsetModel

/// The detail screen's state beyond the record's id (which the screen carries).
public struct DetailState: Sendable, Equatable {
    /// The record showing as last seen: one opened from a notification may be outside the list's window, and a
    /// reload (a filter's answer, a sync) may move the window away from it.
    public var focusedRecord: Record?
    /// The inbox row the record was opened from: Esc goes back there.
    public var returnsToInbox: Int?

    public init() {}
}
