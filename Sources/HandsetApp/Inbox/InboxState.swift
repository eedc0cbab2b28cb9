import HandsetWire

/// The notification inbox: what is cached, how many are unread, and when to long-poll next.
public struct InboxState: Sendable, Equatable {
    /// Newest first.
    public var items: [InboxItem] = []
    public var unreadCount = 0
    public var poll = InboxPollSchedule()
    /// A conflict notification being followed: the conflicts screen opens on it, or says it is not on this device.
    public var conflictLink: RecordLink?

    public init() {}
}
