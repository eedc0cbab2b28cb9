import HandsetWire

/// The notification inbox: what is cached, how many are unread, and when to long-poll next.
public struct InboxState: Sendable, Equatable {
    /// Newest first.
    public var items: [InboxItem] = []
    public var unreadCount = 0
    public var poll = InboxPollSchedule()

    public init() {}
}
