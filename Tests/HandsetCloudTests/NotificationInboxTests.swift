import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Logging
import Testing

@testable import HandsetCloud

@Suite("Notifications: the inbox")
struct NotificationInboxTests {
    func notify(_ cloud: APICloud, _ user: String, _ title: String, link: RecordLink? = nil) async throws {
        _ = try await NotificationAdmin.notify(
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

    @Test("a long-poll answers a delivery made while it waits, and only with its own user's notifications")
    func answersADelivery() async throws {
        try await withStorageCloud { cloud in
            let cursor = try await cloud.inbox(as: "bob").cursor
            async let poll = Self.timedPoll(cloud, "bob", "?since=\(cursor)&wait=20")
            // Another user's notification does not answer bob's poll.
            try await notify(cloud, "alice", "Not for bob")
            try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"news"}"#)
            try await cloud.send(.post, "/api/_topics/news/subscriptions", as: "admin", body: #"{"user":"bob"}"#)
            let published = try await cloud.send(
                .post, "/api/_topics/news/publish", as: "admin", body: #"{"title":"Hello","body":"World"}"#)
            let delivered = try published.json()["delivered"]
            #expect(published.status == .ok && delivered == .number(1))
            let (page, _) = try await poll
            #expect(page.items.map(\.title) == ["Hello"])
            #expect(page.items.first?.kind == "topic" && page.items.first?.topic == "news")
        }
    }

    @Test("a delivery wakes a poll that is waiting for it", arguments: TestBackend.allCases)
    func wakeOnDelivery(backend: TestBackend) async throws {
        try await withInbox(backend: backend) { inbox in
            // Waiting first (its ticket registered), then the delivery; the poll would wait an hour: only the
            // wake-up can end it.
            let poll = inbox.startPoll("sub-bob")
            try await inbox.waitUntilWaiting(1)
            try await inbox.service.deliver(
                NotificationDraft(title: "Not for bob", body: ""), kind: .direct, to: ["sub-alice"])
            try await inbox.service.deliver(NotificationDraft(title: "Hello", body: ""), kind: .direct, to: ["sub-bob"])
            try await inbox.waitUntilWaiting(0)
            poll.cancel()
            #expect(try await poll.value.items.map(\.title) == ["Hello"])
        }
    }

    @Test(
        "a delivery written by another process wakes a waiting poll through the server's watcher",
        arguments: TestBackend.allCases)
    func wakeOnExternalDelivery(backend: TestBackend) async throws {
        try await withInbox(backend: backend) { inbox in
            // The watcher's first look notes where the notifications end (the server's does so at start).
            try await inbox.watcher.tick()
            let poll = inbox.startPoll("sub-alice")
            try await inbox.waitUntilWaiting(1)
            // Written straight to the database, as `handset-cloud notify` does: nothing in this process wakes the poll
            // but the watcher's next look.
            try await inbox.deliverFromAnotherProcess("From the CLI", to: "sub-alice")
            try await inbox.watcher.tick()
            try await inbox.waitUntilWaiting(0)
            poll.cancel()
            #expect(try await poll.value.items.map(\.title) == ["From the CLI"])
        }
    }

    @Test("the loopback wake-up route wakes a waiting poll, as `handset-cloud notify` calls it")
    func wakeRoute() async throws {
        try await withInbox(backend: .sqlite) { inbox in
            let router = Router(context: CloudRequestContext.self)
            InboxWakeController(waiters: inbox.service.waiters, gate: LoopbackGate(bindHost: "127.0.0.1"))
                .addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                let poll = inbox.startPoll("sub-alice")
                try await inbox.waitUntilWaiting(1)
                // No watcher runs here: only the route can wake the poll.
                try await inbox.deliverFromAnotherProcess("Woken", to: "sub-alice")
                let wake = try await client.execute(
                    uri: "/_loopback/inbox/wake", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"subs":["sub-alice"]}"#))
                #expect(wake.status == .noContent)
                try await inbox.waitUntilWaiting(0)
                poll.cancel()
                #expect(try await poll.value.items.map(\.title) == ["Woken"])
            }
        }
    }

    @Test(
        "a delivery by the CLI reaches a long-poll through the running server, with or without the wake-up route",
        arguments: TestBackend.allCases)
    func externalDeliveryReachesAPoll(backend: TestBackend) async throws {
        try await withStorageCloud(backend: backend) { cloud in
            async let first = Self.timedPoll(cloud, "alice", "?wait=15")
            try await notify(cloud, "alice", "From the CLI")
            let (page, _) = try await first
            #expect(page.items.map(\.title) == ["From the CLI"])

            async let second = Self.timedPoll(cloud, "alice", "?since=\(page.cursor)&wait=15")
            try await notify(cloud, "alice", "Woken")
            let wake = try await cloud.client.execute(
                uri: "/_loopback/inbox/wake", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"subs":["\#(cloud.subs["alice"]!)"]}"#))
            #expect(wake.status == .noContent)
            let (woken, _) = try await second
            #expect(woken.items.map(\.title) == ["Woken"])
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
            await #expect(throws: NotificationAdmin.Failure.self) {
                try await NotificationAdmin.notify(
                    storage: cloud.fixture.storage, user: "nobody", title: "x", body: "", link: nil)
            }
            await #expect(throws: NotificationAdmin.Failure.self) {
                try await NotificationAdmin.notify(
                    storage: cloud.fixture.storage, user: "alice", title: " ", body: "", link: nil)
            }
            await #expect(throws: NotificationAdmin.Failure.self) {
                try await NotificationAdmin.publish(
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

/// The inbox service of a cloud, without the rest of the server: its waiting polls can be counted, so a test can
/// deliver only once a poll is waiting, and its watcher ticks when the test says.
struct InboxUnderTest {
    let setup: NotificationsSetup
    var service: InboxService { setup.inbox }
    var watcher: ExternalDeliveryWatcher { setup.watcher }

    /// Waits until `count` polls are waiting: up to five minutes, as the whole suite running at once on two cores has
    /// held a first database read back for over a minute (a working server takes milliseconds).
    func waitUntilWaiting(_ count: Int) async throws {
        try await waitUntil(timeout: .seconds(300)) { service.waiters.count == count }
        #expect(service.waiters.count == count, "polls waiting")
    }

    /// A poll of `sub`'s inbox from the start that would wait an hour for a notification: one that ends sooner was
    /// woken (or cancelled).
    func startPoll(_ sub: String) -> Task<InboxPage, any Error> {
        let service = service
        return Task { try await service.page(sub: sub, since: 0, limit: 50, wait: .seconds(3600)) }
    }

    /// A notification written to the database without waking anyone, as another process writes it.
    func deliverFromAnotherProcess(_ title: String, to sub: String) async throws {
        _ = try await service.store.deliver(
            NotificationDraft(title: title, body: ""), kind: NotificationKind.direct.rawValue, topic: nil, to: [sub],
            at: Date(), coalescing: false)
    }
}

func withInbox(backend: TestBackend, _ body: (InboxUnderTest) async throws -> Void) async throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let directory = try DataDirectory.prepare(at: root)
    try await backend.withStorage(directory: root) { storage in
        let pool = try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: nil)
        let setup = try await NotificationsSetup(
            directory: directory, storage: storage,
            document: try RecordAPISetup.document(APIConfiguration(), pool: pool), settings: NotificationSettings(),
            now: { Date() }, logger: Logger(label: "inbox-test"))
        try await body(InboxUnderTest(setup: setup))
    }
}
