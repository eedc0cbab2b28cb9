import HandsetModel

/// The detail screen's state beyond the record's id (which the screen carries).
public struct DetailState: Sendable, Equatable {
    /// A record opened from a notification, which may be outside the list's loaded window.
    public var focusedRecord: Record?
    /// The inbox row the record was opened from: Esc goes back there.
    public var returnsToInbox: Int?

    public init() {}
}
