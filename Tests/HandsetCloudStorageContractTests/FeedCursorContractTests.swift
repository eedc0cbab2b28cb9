import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire
import Testing

/// Change feeds and inbox cursors with concurrent writers on several instances (README, "Change feeds with many
/// writers"; STORAGE-DESIGN.md §3): a sequence value can be taken before a larger one commits, yet a reader whose
/// cursor has passed n must never miss a change committed with a value below n.
///
/// The deterministic tests hold a writer's transaction open after it took its value and show the next writer
/// waiting for it (on MySQL: its sequence statement visible in the process list) while a reader sees neither. The
/// set checks run writers on three instances (some slow to commit, some rolled back after taking a value) while
/// readers follow the feed with cursors: every acknowledged write must reach every reader exactly once, in order,
/// and nothing else. (The naive AUTO_INCREMENT feed failing the same choreography is shown at the SQL level in
/// HandsetMySQLTests' FeedOrderingTests.)
@Suite("Contract: change feeds and inbox cursors with concurrent writers", .timeLimit(.minutes(3)))
struct FeedCursorContractTests {
    struct Abandoned: Error {}

    static func claim(_ key: String) -> IdempotencyClaim {
        IdempotencyClaim(scope: "writer", key: key, fingerprint: "f-\(key)")
    }

    static let answer = StoredResponse(status: 201, headers: [:], body: "{}")

    @Test(
        "a record write that took its feed value first is seen before a later one; a reader sees neither early",
        arguments: StorageBackend.allCases)
    func recordFeedOrder(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances, database in
            let aHasItsValue = Gate()
            let releaseA = Gate()
            // `respond` runs inside the write's transaction, after its feed value is taken and before COMMIT.
            async let a = instances[0].records.write(
                collection: "notes", id: "a", at: testEpoch, device: nil, idempotency: Self.claim("a"),
                decide: { _ in .save(owner: "u1", body: ["text": "a"]) },
                respond: { _ in
                    aHasItsValue.open()
                    try? releaseA.wait()
                    return Self.answer
                })
            try await eventually("A holds its feed value") { aHasItsValue.isOpen }
            async let b = instances[1].records.create(
                collection: "notes", id: "b", owner: "u1", body: ["text": "b"], at: testEpoch)
            if let database {
                let observer = database.makePool(MySQLPoolOptions(maximumConnections: 1, leaseTimeout: .seconds(120)))
                try await eventually("B waits for A's sequence row") {
                    try await sessionsRunning("INSERT INTO handset_sequences", observer) == 1
                }
            }
            let early = try await instances[2].records.changes(collection: "notes", owner: nil, after: 0, limit: 10)
            #expect(early.isEmpty, "nothing is committed yet")
            releaseA.open()
            let (written, created) = try await (a, b)
            guard case .written(let recordA?, changed: true) = written else {
                Issue.record("A was not written: \(written)")
                return
            }
            #expect(recordA.sequence < created.sequence)
            let seen = try await instances[2].records.changes(collection: "notes", owner: nil, after: 0, limit: 10)
            #expect(seen.map(\.id) == ["a", "b"])
            #expect(seen.map(\.sequence) == [recordA.sequence, created.sequence])
        }
    }

    @Test(
        "writers on three instances, some slow to commit, some rolled back: every reader sees each acknowledged write once",
        arguments: StorageBackend.allCases)
    func recordFeedSetCheck(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances, _ in
            let acknowledged = Collected<String>()
            let writersDone = Gate()
            async let streams = Self.follow(readers: 2) { reader, cursor in
                try await instances[reader].records.changes(collection: "notes", owner: nil, after: cursor, limit: 7)
                    .map { ($0.id, $0.sequence) }
            } until: {
                writersDone.isOpen
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (instance, storage) in instances.enumerated() {
                    for writer in 0..<3 {
                        group.addTask {
                            for index in 0..<12 {
                                let id = "i\(instance)-w\(writer)-\(index)"
                                try await Self.writeRecords(storage.records, id: id, index: index, into: acknowledged)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            writersDone.open()
            let expected = Set(acknowledged.all)
            // Per writer: 12 writes, one of which (index 3) is rolled back; those at 0, 5 and 10 write two records.
            #expect(expected.count == 9 * 14)
            for stream in try await streams {
                let ids = stream.map(\.0)
                #expect(Set(ids) == expected, "every acknowledged write, nothing else")
                #expect(ids.count == expected.count, "no write seen twice")
                #expect(stream.map(\.1) == stream.map(\.1).sorted(), "in sequence order")
            }
        }
    }

    /// One write of the set check: a single create held open for a few milliseconds, a batch of two, or a batch
    /// rolled back after it took its feed values.
    static func writeRecords(
        _ records: any RecordRepository, id: String, index: Int, into acknowledged: Collected<String>
    ) async throws {
        let body: [String: JSONValue] = ["text": .string(id)]
        let hold = Double.random(in: 0...0.004)
        switch index {
        case 3:
            do {
                _ = try await records.writeEach(
                    collection: "notes", at: testEpoch, device: nil, idempotency: claim(id),
                    [RecordWriteItem(id: id, decide: { _ in .save(owner: "u1", body: body) })],
                    respond: { _ in throw Abandoned() })
                Issue.record("a throwing answer did not roll the batch back")
            } catch is Abandoned {}
        case 0, 5, 10:
            let outcome = try await records.writeEach(
                collection: "notes", at: testEpoch, device: nil, idempotency: claim(id),
                [
                    RecordWriteItem(id: id, decide: { _ in .save(owner: "u1", body: body) }),
                    RecordWriteItem(id: id + "-pair", decide: { _ in .save(owner: "u2", body: body) }),
                ],
                respond: { _ in
                    Thread.sleep(forTimeInterval: hold)
                    return answer
                })
            guard case .written(let outcomes) = outcome, outcomes.count == 2 else {
                Issue.record("batch \(id) not written: \(outcome)")
                return
            }
            acknowledged.append(contentsOf: [id, id + "-pair"])
        default:
            let outcome = try await records.write(
                collection: "notes", id: id, at: testEpoch, device: nil, idempotency: claim(id),
                decide: { _ in .save(owner: "u1", body: body) },
                respond: { _ in
                    Thread.sleep(forTimeInterval: hold)
                    return answer
                })
            guard case .written(_?, changed: true) = outcome else {
                Issue.record("\(id) not written: \(outcome)")
                return
            }
            acknowledged.append(id)
        }
    }

    /// Readers that follow a feed from cursor 0 until `finished()` held before a read that came back empty; each
    /// returns what it saw, as (id, cursor) pairs.
    static func follow(
        readers: Int, read: @escaping @Sendable (Int, Int64) async throws -> [(String, Int64)],
        until finished: @escaping @Sendable () -> Bool
    ) async throws -> [[(String, Int64)]] {
        try await withThrowingTaskGroup(of: (Int, [(String, Int64)]).self) { group in
            for reader in 0..<readers {
                group.addTask {
                    var cursor: Int64 = 0
                    var seen: [(String, Int64)] = []
                    while true {
                        let done = finished()
                        let page = try await read(reader, cursor)
                        seen += page
                        cursor = page.last?.1 ?? cursor
                        if page.isEmpty {
                            if done { return (reader, seen) }
                            try await Task.sleep(for: .milliseconds(2))
                        }
                    }
                }
            }
            // In reader order, whatever order they finished in.
            return try await group.reduce(into: [(Int, [(String, Int64)])]()) { $0.append($1) }
                .sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test("MySQL: a delivery waiting on one inbox keeps the next delivery to another waiting; a reader sees neither")
    func inboxCursorOrder() async throws {
        try await StorageBackend.mysql.withInstances(3) { instances, database in
            let database = try #require(database)
            let inbox = instances[0].notifications
            _ = try await inbox.deliver(
                NotificationDraft(title: "first for s2", body: ""), kind: "message", topic: nil, to: ["s2"],
                at: testEpoch)
            // A session of the test's own holds s2's sequence row, so delivery A (to s1 and s2, in that order)
            // stops after taking s1's value; delivery B (to s1) must then wait for A.
            let holder = database.makePool(MySQLPoolOptions(maximumConnections: 1, leaseTimeout: .seconds(120)))
            let observer = database.makePool(MySQLPoolOptions(maximumConnections: 1, leaseTimeout: .seconds(120)))
            let holding = Gate()
            let release = Gate()
            async let held: Void = holder.transaction(retry: .never) { connection in
                try connection.execute("SELECT value FROM handset_sequences WHERE name = 'inbox:s2' FOR UPDATE")
                holding.open()
                try release.wait()
            }
            try await eventually("the test holds s2's sequence row") { holding.isOpen }
            async let a = instances[0].notifications.deliver(
                NotificationDraft(title: "A", body: ""), kind: "message", topic: nil, to: ["s2", "s1"], at: testEpoch)
            try await eventually("A waits for s2's row, holding s1's") {
                try await sessionsRunning("INSERT INTO handset_sequences", observer) == 1
            }
            async let b = instances[1].notifications.deliver(
                NotificationDraft(title: "B", body: ""), kind: "message", topic: nil, to: ["s1"], at: testEpoch)
            try await eventually("B waits for s1's row") {
                try await sessionsRunning("INSERT INTO handset_sequences", observer) == 2
            }
            let reader = instances[2].notifications
            #expect(try await reader.page(sub: "s1", after: 0, limit: 10, notBefore: .distantPast).items.isEmpty)
            #expect((try await reader.latestCursors(for: ["s1"])["s1"] ?? 0) == 0)
            release.open()
            try await held
            let (deliveredA, deliveredB) = try await (a, b)
            #expect(deliveredA.count == 2 && deliveredB.count == 1)
            let page = try await reader.page(sub: "s1", after: 0, limit: 10, notBefore: .distantPast)
            #expect(page.items.map(\.title) == ["A", "B"])
            #expect(try await reader.latestCursors(for: ["s1"])["s1"] == page.cursor)
        }
    }

    @Test(
        "deliveries from three instances to overlapping inboxes: every reader sees each of its notifications once",
        arguments: StorageBackend.allCases)
    func inboxSetCheck(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances, _ in
            let subs = ["s1", "s2", "s3"]
            let acknowledged = Collected<(String, String)>()
            let writersDone = Gate()
            async let streams = Self.follow(readers: 3) { reader, cursor in
                let page = try await instances[reader].notifications.page(
                    sub: subs[reader], after: cursor, limit: 5, notBefore: .distantPast)
                // Every item of a page shares the page's cursor here; the last one's is what moves the reader on.
                return page.items.map { ($0.title, page.cursor ?? cursor) }
            } until: {
                writersDone.isOpen
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (instance, storage) in instances.enumerated() {
                    for writer in 0..<3 {
                        group.addTask {
                            for index in 0..<10 {
                                let title = "i\(instance)-w\(writer)-\(index)"
                                // Two or three inboxes each, in varying order (deliveries lock them sorted).
                                let recipients = Array(subs.shuffled().prefix(2 + index % 2))
                                let items = try await storage.notifications.deliver(
                                    NotificationDraft(title: title, body: ""), kind: "message", topic: nil,
                                    to: recipients, at: testEpoch)
                                #expect(items.count == recipients.count)
                                for sub in recipients { acknowledged.append((sub, title)) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            writersDone.open()
            for (reader, stream) in try await streams.enumerated() {
                let sub = subs[reader]
                let titles = stream.map(\.0)
                let expected = Set(acknowledged.all.filter { $0.0 == sub }.map(\.1))
                #expect(!expected.isEmpty)
                #expect(Set(titles) == expected, "every notification of \(sub), nothing else")
                #expect(titles.count == expected.count, "none seen twice")
            }
        }
    }
}
