import Foundation
import HTTPTypes
import HandsetCloudStorage
import HandsetWire
import Hummingbird

/// `<api>/_topics` behind the authorizer, SNS style: admins (the configured group) create topics, subscribe users
/// and groups, and publish; anyone may subscribe themselves to an existing topic. A publish reaches each subscribed
/// user and each current member of each subscribed group once.
struct TopicsController: Sendable {
    let inbox: InboxService

    struct TopicBody: Decodable {
        var name: String?
    }

    struct SubscriptionBody: Decodable {
        var user: String?
        var group: String?
    }

    struct Topic: Encodable {
        var name: String
        var createdAt: String
    }

    struct Subscription: Encodable {
        var topic: String
        var user: String?
        var group: String?
    }

    struct Published: Encodable {
        var messageId: String
        var delivered: Int
    }

    func addRoutes(to api: RouterGroup<CloudRequestContext>) {
        let topics = NotificationRoute.topics
        api.post(RouterPath(stringLiteral: topics)) { request, context in
            context.requestLog.function = "topics.create"
            let identity = try admin(context)
            var request = request
            let body: TopicBody = try await Self.decode(&request)
            guard let name = body.name, Self.isTopicName(name) else {
                throw APIError(
                    .badRequest, "Invalid topic name",
                    fields: ["name": "must be 1 to 256 letters, digits, '-' or '_'"])
            }
            guard try await inbox.store.createTopic(name, by: identity.sub, at: inbox.now()) else {
                throw APIError(.conflict, "Topic \(name) exists")
            }
            return InboxController.json(
                Topic(name: name, createdAt: Timestamp.string(from: inbox.now())), status: .created)
        }
        api.post(RouterPath(stringLiteral: "\(topics)/:name/subscriptions")) { request, context in
            context.requestLog.function = "topics.subscribe"
            guard let identity = context.identity else { throw APIError.unauthorized }
            let name = try topicName(context)
            var request = request
            let body: SubscriptionBody = try await Self.decode(&request)
            let isAdmin = identity.groups.contains(inbox.settings.adminGroup)
            let target: SubscriptionTarget
            switch (body.user, body.group) {
            case (let user?, nil):
                guard let sub = try await inbox.store.userSub(matching: user) else {
                    // Only admins learn whether a user exists.
                    if isAdmin { throw APIError(.notFound, "User \(user) not found") }
                    throw APIError.forbidden
                }
                guard isAdmin || sub == identity.sub else { throw APIError.forbidden }
                target = .user(sub: sub)
            case (nil, let group?):
                guard isAdmin else { throw APIError.forbidden }
                guard Self.isGroupName(group) else {
                    throw APIError(.badRequest, "Invalid group name", fields: ["group": "is not a group name"])
                }
                target = .group(group)
            default:
                throw APIError(.badRequest, "The body must be {\"user\": name} or {\"group\": name}")
            }
            guard try await inbox.store.subscribe(topic: name, target, at: inbox.now()) else {
                throw APIError(.notFound, "Topic \(name) not found")
            }
            return InboxController.json(
                Subscription(topic: name, user: body.user, group: body.group), status: .created)
        }
        api.post(RouterPath(stringLiteral: "\(topics)/:name/publish")) { request, context in
            context.requestLog.function = "topics.publish"
            _ = try admin(context)
            let name = try topicName(context)
            var request = request
            let draft = try await NotificationDraftBody.decode(&request)
            guard let subscribers = try await inbox.store.subscribers(of: name) else {
                throw APIError(.notFound, "Topic \(name) not found")
            }
            let delivered = try await inbox.deliver(draft, kind: .topic, topic: name, to: subscribers)
            return InboxController.json(Published(messageId: UUID().uuidString.lowercased(), delivered: delivered))
        }
    }

    private func admin(_ context: CloudRequestContext) throws -> Identity {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.groups.contains(inbox.settings.adminGroup) else {
            throw APIError(.forbidden, "Only members of the \(inbox.settings.adminGroup) group may do this")
        }
        return identity
    }

    private func topicName(_ context: CloudRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard Self.isTopicName(name) else { throw APIError(.notFound, "Topic \(name) not found") }
        return name
    }

    /// SNS's rule: 1 to 256 ASCII letters, digits, hyphens and underscores.
    static func isTopicName(_ name: String) -> Bool {
        (1...256).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
    }

    /// Cognito's group names: 1 to 128 visible characters.
    static func isGroupName(_ name: String) -> Bool {
        (1...128).contains(name.unicodeScalars.count)
            && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    static func decode<Body: Decodable>(_ request: inout Request) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: 16_384)
        } catch {
            throw APIError.payloadTooLarge
        }
        guard let body = try? JSONValueDecoder().decode(Body.self, from: Data(buffer: buffer)) else {
            throw APIError.bodyNotAnObject
        }
        return body
    }
}
