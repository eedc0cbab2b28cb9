import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandsetCloud

@Suite("Notifications: the inbox")
struct NotificationInboxTests {
    func notify(_ cloud: APICloud, _ user: String, _ title: String, link: RecordLink? = nil) async throws {
        _ = try await LocalNotifications.notify(
            storage: cloud.fixture.storage, user: user, title: title, body: "Body of \(title)", link: link,
            now: cloud.fixture.clock.now)
    }

    @Test("items since a cursor, unread count, mark one read, mark all read", arguments: TestBackend.allCases)
    func cursorAndRead(backend: TestBackend) async throws {
        try await withStorageCloud(backend: backend) { cloud in
            let empty = try await cloud.inbox(as: "alice")
            #expect(empty == InboxPage(items: [], cursor: "0", unread: 0))

            try await notify(cloud, "alice", "One", link: RecordLink(collection: "tasks", id: "t-1"))
            try await notify(cloud, "alice@example.com", "Two")
            try await notify(cloud, "bob", "For bob")
            let first = try await cloud.inbox(as: "alice")
            #expect(first.items.map(\.title) == ["One", "Two"])
            #expect(first.unread == 2)
            #expect(first.items[0].kind == "direct" && first.items[0].read == false)
            #expect(first.items[0].link == RecordLink(collection: "tasks", id: "t-1"))
            #expect(first.items[0].body == "Body of One")
            #expect(Timestamp.date(from: first.items[0].createdAt) != nil)

            let paged = try await cloud.inbox(as: "alice", query: "?limit=1")
            #expect(paged.items.map(\.title) == ["One"])
            let rest = try await cloud.inbox(as: "alice", query: "?limit=1&since=\(paged.cursor)")
            #expect(rest.items.map(\.title) == ["Two"])

            let caughtUp = try await cloud.inbox(as: "alice", query: "?since=\(first.cursor)")
            #expect(caughtUp.items.isEmpty && caughtUp.cursor == first.cursor && caughtUp.unread == 2)

            let read = try await cloud.send(.post, "/api/_inbox/\(first.items[0].id)/read", as: "alice")
            #expect(read.status == .noContent)
            let afterRead = try await cloud.inbox(as: "alice")
            #expect(afterRead.unread == 1 && afterRead.items.map(\.read) == [true, false])
            #expect(
                try await cloud.send(.post, "/api/_inbox/\(UUID().uuidString)/read", as: "alice").status == .notFound)
            #expect(try await cloud.send(.post, "/api/_inbox/not-an-id/read", as: "alice").status == .notFound)

            #expect(try await cloud.send(.post, "/api/_inbox/read-all", as: "alice").status == .noContent)
            #expect(try await cloud.inbox(as: "alice").unread == 0)
            #expect(try await cloud.inbox(as: "bob").unread == 1)
        }
    }

    @Test(
        "bad queries are 400",
        arguments: ["?since=-1", "?since=abc", "?wait=abc", "?wait=-1", "?limit=0", "?limit=101"])
    func badQueries(query: String) async throws {
        try await withStorageCloud { cloud in
            let response = try await cloud.send(.get, "/api/_inbox" + query, as: "alice")
            #expect(response.status == .badRequest, "\(response.text)")
        }
    }

    @Test("an empty long-poll returns empty after its wait; a wait over 20 s is held at most 20 s")
    func emptyWait() async throws {
        try await withStorageCloud { cloud in
            let started = ContinuousClock.now
            let page = try await cloud.inbox(as: "alice", query: "?wait=1")
            let elapsed = ContinuousClock.now - started
            #expect(page.items.isEmpty)
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5))
            #expect(try InboxController.parameters(Request.testing("/api/_inbox?wait=3600")).wait == .seconds(20))
        }
    }

    @Test("a long-poll wakes on a delivery (not at the end of its wait), and returns what arrived")
    func wakeOnDelivery() async throws {
        try await withStorageCloud { cloud in
            let cursor = try await cloud.inbox(as: "bob").cursor
            async let poll = Self.timedPoll(cloud, "bob", "?since=\(cursor)&wait=20")
            try await Task.sleep(for: .milliseconds(300))
            // Another user's notification does not wake bob's poll with anything.
            try await notify(cloud, "alice", "Not for bob")
            try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"news"}"#)
            try await cloud.send(.post, "/api/_topics/news/subscriptions", as: "admin", body: #"{"user":"bob"}"#)
            let published = try await cloud.send(
                .post, "/api/_topics/news/publish", as: "admin", body: #"{"title":"Hello","body":"World"}"#)
            let delivered = try published.json()["delivered"]
            #expect(published.status == .ok && delivered == .number(1))
            let (page, elapsed) = try await poll
            #expect(page.items.map(\.title) == ["Hello"])
            #expect(page.items.first?.kind == "topic" && page.items.first?.topic == "news")
            // Woken by the delivery, long before the 20 s wait ends (the margin is for a loaded test machine; the
            // wake-up latency itself is measured by scripts/bench-objects).
            #expect(elapsed < .seconds(10), "the poll took \(elapsed)")
        }
    }

    @Test(
        "a delivery written by another process (the CLI) wakes a long-poll, with or without the wake-up route",
        arguments: TestBackend.allCases)
    func wakeOnExternalDelivery(backend: TestBackend) async throws {
        try await withStorageCloud(backend: backend) { cloud in
            // Without a wake-up call: the server's watcher notices within half a second.
            async let first = Self.timedPoll(cloud, "alice", "?wait=15")
            try await Task.sleep(for: .milliseconds(300))
            try await notify(cloud, "alice", "From the CLI")
            let (page, elapsed) = try await first
            #expect(page.items.map(\.title) == ["From the CLI"])
            // Woken by the delivery, long before the 20 s wait ends (the margin is for a loaded test machine; the
            // wake-up latency itself is measured by scripts/bench-objects).
            #expect(elapsed < .seconds(10), "the poll took \(elapsed)")

            // With the wake-up route, as `handset-cloud notify` calls it.
            async let second = Self.timedPoll(cloud, "alice", "?since=\(page.cursor)&wait=15")
            try await Task.sleep(for: .milliseconds(300))
            try await notify(cloud, "alice", "Woken")
            let wake = try await cloud.client.execute(
                uri: "/_local/inbox/wake", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"subs":["\#(cloud.subs["alice"]!)"]}"#))
            #expect(wake.status == .noContent)
            let (woken, took) = try await second
            #expect(woken.items.map(\.title) == ["Woken"])
            #expect(took < .seconds(10), "woken, not timed out")
        }
    }

    @Test("notifications past retention leave the inbox")
    func retention() async throws {
        let clock = TestClock()
        try await withStorageCloud(notifications: NotificationSettings(retentionDays: 7), clock: clock) { cloud in
            var cloud = cloud
            try await notify(cloud, "alice", "Old")
            clock.advance(by: 6 * 86_400)
            cloud = try await cloud.signedInAgain()
            try await notify(cloud, "alice", "New")
            #expect(try await cloud.inbox(as: "alice").items.map(\.title) == ["Old", "New"])
            clock.advance(by: 2 * 86_400)
            cloud = try await cloud.signedInAgain()
            let page = try await cloud.inbox(as: "alice")
            #expect(page.items.map(\.title) == ["New"] && page.unread == 1)
        }
    }

    @Test("the CLI's delivery refuses unknown users and invalid drafts")
    func cliRefusals() async throws {
        try await withStorageCloud { cloud in
            await #expect(throws: LocalNotifications.Failure.self) {
                try await LocalNotifications.notify(
                    storage: cloud.fixture.storage, user: "nobody", title: "x", body: "", link: nil)
            }
            await #expect(throws: LocalNotifications.Failure.self) {
                try await LocalNotifications.notify(
                    storage: cloud.fixture.storage, user: "alice", title: " ", body: "", link: nil)
            }
            await #expect(throws: LocalNotifications.Failure.self) {
                try await LocalNotifications.publish(
                    storage: cloud.fixture.storage, topic: "missing", title: "x", body: "", link: nil)
            }
        }
    }

    static func timedPoll(_ cloud: APICloud, _ user: String, _ query: String) async throws -> (InboxPage, Duration) {
        let started = ContinuousClock.now
        let page = try await cloud.inbox(as: user, query: query)
        return (page, ContinuousClock.now - started)
    }
}

extension Request {
    /// A bare GET request for a URI, for testing query parsing.
    static func testing(_ uri: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: uri),
            body: RequestBody(buffer: ByteBuffer()))
    }
}
