import Foundation

/// Routes of the notification inbox and topics (SNS, delivered by polling), under the API endpoint.
///
/// | route | meaning |
/// |---|---|
/// | `GET <api>/_inbox?since=<cursor>&wait=<0..20 s>&limit` | the caller's notifications after `since` (`InboxPage`); with `wait`, held open until one arrives or the wait ends |
/// | `POST <api>/_inbox/<id>/read` | mark one read (204) |
/// | `POST <api>/_inbox/read-all` | mark all read (204) |
/// | `POST <api>/_topics` `{"name"}` | create a topic (admin group) |
/// | `POST <api>/_topics/<name>/subscriptions` `{"user"}` or `{"group"}` | subscribe a user or a group |
/// | `POST <api>/_topics/<name>/publish` `NotificationDraft` | publish to every subscriber (admin group) |
public enum NotificationRoute {
    public static let inbox = "_inbox"
    public static let readAll = "read-all"
    public static let topics = "_topics"
    /// The longest long-poll the server holds, in seconds.
    public static let maximumWait = 20
}

/// A link from a notification to a record.
public struct RecordLink: Codable, Sendable, Equatable {
    public var collection: String
    public var id: String

    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }
}

/// One notification in a user's inbox.
public struct InboxItem: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var title: String
    public var body: String
    /// RFC 3339.
    public var createdAt: String
    public var read: Bool
    /// What raised it: `topic`, `record.assigned`, `record.changed`, `conflict`, `direct`.
    public var kind: String
    public var topic: String?
    public var link: RecordLink?

    public init(
        id: String, title: String, body: String, createdAt: String, read: Bool, kind: String, topic: String? = nil,
        link: RecordLink? = nil
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.createdAt = createdAt
        self.read = read
        self.kind = kind
        self.topic = topic
        self.link = link
    }
}

/// `GET <api>/_inbox` answer.
public struct InboxPage: Codable, Sendable, Equatable {
    public var items: [InboxItem]
    /// Pass as `since` next time.
    public var cursor: String
    /// Unread notifications in the whole inbox.
    public var unread: Int

    public init(items: [InboxItem], cursor: String, unread: Int) {
        self.items = items
        self.cursor = cursor
        self.unread = unread
    }
}

/// What a publisher sends.
public struct NotificationDraft: Codable, Sendable, Equatable {
    public var title: String
    public var body: String
    public var link: RecordLink?
    /// The device the notification is about (`X-Handset-Device`): its own inbox polls leave it out, as a phone
    /// does not push "changed on another device" to the device that made the change.
    public var originDevice: String?

    public init(title: String, body: String, link: RecordLink? = nil, originDevice: String? = nil) {
        self.title = title
        self.body = body
        self.link = link
        self.originDevice = originDevice
    }
}
