import Foundation
import HandsetCloudStorage
import HandsetWire
import Testing

/// `NotificationRepository` on every backend: inboxes and their cursors, read state, coalescing, the purge, topics
/// and subscriptions, and the user lookups notifications make.
@Suite("Contract: NotificationRepository")
struct NotificationContractTests {
    static let link = RecordLink(collection: "tasks", id: "t1")

    static func draft(_ title: String, link: RecordLink? = nil, device: String? = nil) -> NotificationDraft {
        NotificationDraft(title: title, body: "Body of \(title)", link: link, originDevice: device)
    }

    @Test(
        "deliveries reach each recipient once; pages follow the cursor, count unread, skip the writer's device",
        arguments: StorageBackend.allCases)
    func inbox(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            let delivered = try await inbox.deliver(
                Self.draft("one", link: Self.link), kind: "record", topic: nil, to: ["a", "b", "a"], at: testEpoch)
            #expect(delivered.count == 2 && Set(delivered.map(\.id)).count == 2)
            #expect(delivered[0].title == "one" && delivered[0].link == Self.link && !delivered[0].read)
            for index in 2...5 {
                _ = try await inbox.deliver(
                    Self.draft("n\(index)", device: index == 4 ? "a phone" : nil), kind: "message", topic: "news",
                    to: ["a"], at: testEpoch.addingTimeInterval(Double(index)))
            }
            let first = try await inbox.page(sub: "a", after: 0, limit: 2, notBefore: .distantPast)
            #expect(first.items.map(\.title) == ["one", "n2"] && first.unread == 5)
            #expect(first.items[0].createdAt == Timestamp.string(from: testEpoch))
            #expect(first.items[1].topic == "news" && first.items[1].kind == "message")
            let cursor = try #require(first.cursor)
            let rest = try await inbox.page(sub: "a", after: cursor, limit: 10, notBefore: .distantPast)
            #expect(rest.items.map(\.title) == ["n3", "n4", "n5"])
            let end = try #require(rest.cursor)
            #expect(end > cursor)
            let none = try await inbox.page(sub: "a", after: end, limit: 10, notBefore: .distantPast)
            #expect(none.items.isEmpty && none.cursor == nil && none.unread == 5)

            let phone = try await inbox.page(sub: "a", after: 0, limit: 10, notBefore: .distantPast, device: "a phone")
            #expect(phone.items.map(\.title) == ["one", "n2", "n3", "n5"] && phone.unread == 4)
            let recent = try await inbox.page(
                sub: "a", after: 0, limit: 10, notBefore: testEpoch.addingTimeInterval(3))
            #expect(recent.items.map(\.title) == ["n3", "n4", "n5"] && recent.unread == 3)
            let b = try await inbox.page(sub: "b", after: 0, limit: 10, notBefore: .distantPast)
            #expect(b.items.map(\.title) == ["one"] && b.unread == 1)

            let cursors = try await inbox.latestCursors(for: ["a", "b", "nobody", "a"])
            #expect(cursors["a"] == end && cursors["b"] == b.cursor && (cursors["nobody"] ?? 0) == 0)
            #expect(
                try await inbox.deliver(Self.draft("x"), kind: "message", topic: nil, to: [], at: testEpoch).isEmpty)
        }
    }

    @Test("read state: one, all, only one's own", arguments: StorageBackend.allCases)
    func readState(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            let items = try await inbox.deliver(
                Self.draft("hello"), kind: "message", topic: nil, to: ["a", "b"], at: testEpoch)
            let forA = try #require(items.first)
            #expect(try await inbox.markRead(sub: "a", id: forA.id))
            #expect(try await inbox.markRead(sub: "a", id: forA.id), "read already still counts as found")
            #expect(try await !inbox.markRead(sub: "b", id: forA.id), "another user's notification")
            #expect(try await !inbox.markRead(sub: "a", id: "unknown"))
            let a = try await inbox.page(sub: "a", after: 0, limit: 10, notBefore: .distantPast)
            #expect(a.items.map(\.read) == [true] && a.unread == 0)
            #expect(try await inbox.page(sub: "b", after: 0, limit: 10, notBefore: .distantPast).unread == 1)
            _ = try await inbox.deliver(Self.draft("more"), kind: "message", topic: nil, to: ["b"], at: testEpoch)
            try await inbox.markAllRead(sub: "b")
            let b = try await inbox.page(sub: "b", after: 0, limit: 10, notBefore: .distantPast)
            #expect(b.items.map(\.read) == [true, true] && b.unread == 0)
        }
    }

    @Test("coalescing: no second unread notification of one kind about one record", arguments: StorageBackend.allCases)
    func coalescing(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            func deliver(_ title: String, to subs: [String], link: RecordLink? = Self.link) async throws -> [InboxItem]
            {
                try await inbox.deliver(
                    Self.draft(title, link: link), kind: "record", topic: nil, to: subs, at: testEpoch, coalescing: true
                )
            }
            let first = try await deliver("first", to: ["a"])
            #expect(first.count == 1)
            #expect(try await deliver("second", to: ["a", "b"]).count == 1, "b gets it, a has one unread")
            #expect(
                try await deliver("other record", to: ["a"], link: RecordLink(collection: "tasks", id: "t2")).count == 1
            )
            #expect(
                try await inbox.deliver(
                    Self.draft("another kind", link: Self.link), kind: "assigned", topic: nil, to: ["a"], at: testEpoch,
                    coalescing: true
                ).count == 1)
            _ = try await inbox.markRead(sub: "a", id: first[0].id)
            #expect(try await deliver("third", to: ["a"]).count == 1, "read: a new one is due")
        }
    }

    @Test(
        "concurrent coalescing deliveries on several instances leave one unread notification",
        arguments: StorageBackend.allCases)
    func coalescingRace(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await instances[index % 3].notifications.deliver(
                            Self.draft("edit \(index)", link: Self.link), kind: "record", topic: nil, to: ["a"],
                            at: testEpoch, coalescing: true
                        ).count
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(delivered == 1)
            let page = try await instances[0].notifications.page(sub: "a", after: 0, limit: 20, notBefore: .distantPast)
            #expect(page.items.count == 1)
        }
    }

    @Test("the purge removes notifications older than its date", arguments: StorageBackend.allCases)
    func purge(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            for (index, sub) in ["a", "b", "a"].enumerated() {
                _ = try await inbox.deliver(
                    Self.draft("n\(index)"), kind: "message", topic: nil, to: [sub],
                    at: testEpoch.addingTimeInterval(Double(index * 10)))
            }
            #expect(try await inbox.purge(before: testEpoch.addingTimeInterval(15)) == 2)
            #expect(
                try await inbox.page(sub: "a", after: 0, limit: 10, notBefore: .distantPast).items.map(\.title) == [
                    "n2"
                ])
            #expect(try await inbox.page(sub: "b", after: 0, limit: 10, notBefore: .distantPast).items.isEmpty)
        }
    }

    @Test("topics and subscriptions: users directly and through groups, each once", arguments: StorageBackend.allCases)
    func topics(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            let identity = storage.identity
            for name in ["ann", "ben", "cat"] { try await identity.create(IdentityContractTests.user(name)) }
            try await identity.createGroup(
                PoolGroup(name: "crew", description: nil, precedence: nil, createdAt: testEpoch, updatedAt: testEpoch))
            try await identity.setMembership(sub: "sub-ben", group: "crew", member: true)
            try await identity.setMembership(sub: "sub-cat", group: "crew", member: true)

            #expect(try await inbox.subscribers(of: "news") == nil)
            #expect(try await !inbox.subscribe(topic: "news", .user(sub: "sub-ann"), at: testEpoch))
            #expect(try await inbox.createTopic("news", by: "sub-ann", at: testEpoch))
            #expect(try await !inbox.createTopic("news", by: "sub-ben", at: testEpoch))
            #expect(try await inbox.subscribers(of: "news") == [])
            #expect(try await inbox.subscribe(topic: "news", .user(sub: "sub-ann"), at: testEpoch))
            #expect(try await inbox.subscribe(topic: "news", .user(sub: "sub-ann"), at: testEpoch))
            #expect(try await inbox.subscribe(topic: "news", .user(sub: "sub-ben"), at: testEpoch))
            #expect(try await inbox.subscribe(topic: "news", .group("crew"), at: testEpoch))
            #expect(try await inbox.subscribers(of: "news") == ["sub-ann", "sub-ben", "sub-cat"])
            // Topic names are exact: no case folding.
            #expect(try await inbox.subscribers(of: "News") == nil)
        }
    }

    @Test(
        "users by sub, username or email; assignees only when confirmed, enabled and unambiguous",
        arguments: StorageBackend.allCases)
    func lookups(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let inbox = storage.notifications
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("Dana", email: "dana@example.com", groups: ["crew"]))
            var unverified = IdentityContractTests.user("eli", email: "eli@example.com")
            unverified.emailVerified = false
            try await identity.create(unverified)
            var pending = IdentityContractTests.user("fay", email: "fay@example.com")
            pending.status = .unconfirmed
            try await identity.create(pending)
            try await identity.create(IdentityContractTests.user("gus", email: "shared@example.com"))
            try await identity.create(IdentityContractTests.user("hal", email: "shared@example.com"))

            #expect(try await inbox.userSub(matching: "sub-dana") == "sub-dana")
            #expect(try await inbox.userSub(matching: "DANA") == "sub-dana")
            #expect(try await inbox.userSub(matching: "Dana@Example.COM") == "sub-dana")
            #expect(try await inbox.userSub(matching: "shared@example.com") == nil, "shared address")
            #expect(try await inbox.userSub(matching: "nobody") == nil)

            let dana = try #require(try await inbox.assignee(matching: "dana@example.com"))
            #expect(
                dana == AssigneeMatch(sub: "sub-dana", username: "Dana", email: "dana@example.com", groups: ["crew"]))
            #expect(try await inbox.assignee(matching: "dana")?.sub == "sub-dana")
            #expect(try await inbox.assignee(matching: "eli")?.sub == "sub-eli")
            #expect(try await inbox.assignee(matching: "eli@example.com") == nil, "unverified address")
            #expect(try await inbox.assignee(matching: "fay") == nil, "unconfirmed")
            #expect(try await inbox.assignee(matching: "shared@example.com") == nil)
            try await identity.update(sub: "sub-dana") { $0.enabled = false }
            #expect(try await inbox.assignee(matching: "dana") == nil, "disabled")
        }
    }
}
