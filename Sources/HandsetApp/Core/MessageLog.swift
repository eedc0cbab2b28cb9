import Foundation

/// The messages of this session, oldest first (the message log opens on `M`), and the fading of the one showing.
public struct MessageLog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var message: StatusMessage
        /// The clock of the last tick when it was posted (nil before the first tick).
        public var at: Date?

        public init(_ message: StatusMessage, at: Date?) {
            self.message = message
            self.at = at
        }
    }

    /// How many messages are kept; older ones are dropped.
    public static let capacity = 200

    public private(set) var entries: [Entry] = []
    /// The message showing when a tick first saw it, and when: info messages fade after `AutoSync.messageLifetime`.
    private var shown: StatusMessage?
    private var shownAt: Date?

    public init() {}

    mutating func record(_ message: StatusMessage, at date: Date?) {
        entries.append(Entry(message, at: date))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// Clears `message` once it has shown for its lifetime: a few seconds for news, a minute for an error.
    mutating func fade(_ message: inout StatusMessage?, now: Date) {
        if message != shown {
            shown = message
            shownAt = now
        } else if let current = message, let since = shownAt,
            now.timeIntervalSince(since)
                >= (current.kind == .info ? AutoSync.messageLifetime : AutoSync.errorLifetime)
        {
            message = nil
            shown = nil
        }
    }
}
