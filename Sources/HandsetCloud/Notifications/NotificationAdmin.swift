import Foundation
import HandsetCloudStorage
import HandsetWire

/// `handset-cloud notify` and `publish`: deliveries written straight into the storage. A running server wakes the
/// recipients' long-polls when the CLI calls its loopback wake-up route (`wakeURL`), or at its next check for
/// deliveries by other processes (every 500 ms by default) when it cannot.
public enum NotificationAdmin {
    public struct Delivery: Sendable, Equatable {
        /// The `sub` of every user who received it.
        public var recipients: [String]
    }

    /// A refusal, in words for the terminal.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Delivers a `direct` notification to one user (by sub, username or email).
    package static func notify(
        storage: CloudStorage, user: String, title: String, body: String, link: RecordLink?, now: Date = Date()
    ) async throws -> Delivery {
        let draft = try validated(title: title, body: body, link: link)
        let store = storage.notifications
        guard let sub = try await store.userSub(matching: user) else {
            throw Failure(description: "no user \(user) (give a username, email or sub)")
        }
        _ = try await store.deliver(draft, kind: NotificationKind.direct.rawValue, topic: nil, to: [sub], at: now)
        return Delivery(recipients: [sub])
    }

    /// Publishes to every subscriber of a topic; with `createTopic`, creates the topic first when it is missing.
    package static func publish(
        storage: CloudStorage, topic: String, title: String, body: String, link: RecordLink?,
        createTopic: Bool = false, now: Date = Date()
    ) async throws -> Delivery {
        let draft = try validated(title: title, body: body, link: link)
        guard TopicsController.isTopicName(topic) else {
            throw Failure(description: "a topic name is 1 to 256 letters, digits, '-' or '_'")
        }
        let store = storage.notifications
        if createTopic { _ = try await store.createTopic(topic, by: "handset-cloud", at: now) }
        guard let subscribers = try await store.subscribers(of: topic) else {
            throw Failure(description: "no topic \(topic) (create it with --create or POST <api>/_topics)")
        }
        let items = try await store.deliver(
            draft, kind: NotificationKind.topic.rawValue, topic: topic, to: subscribers, at: now)
        return Delivery(recipients: items.isEmpty ? [] : subscribers)
    }

    /// The running server's wake-up route, from the `amplify_outputs.json` it wrote; `nil` when there is none.
    public static func wakeURL(dataDirectory: URL) -> URL? {
        let file = DataDirectory(root: dataDirectory).amplifyOutputs
        guard let data = try? Data(contentsOf: file),
            let outputs = try? JSONDecoder().decode(AmplifyOutputs.self, from: data),
            let base = outputs.custom?.handset?.cognitoEndpoint
        else { return nil }
        return URL(string: (base.hasSuffix("/") ? base : base + "/") + InboxWakeController.path)
    }

    private static func validated(title: String, body: String, link: RecordLink?) throws -> NotificationDraft {
        do {
            return try NotificationDraftBody(title: title, body: body, link: link).validated()
        } catch let error as APIError {
            let fields = (error.body.fields ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            throw Failure(description: fields.isEmpty ? error.body.message : fields.joined(separator: "; "))
        }
    }
}
