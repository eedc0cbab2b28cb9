import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

/// The change-feed scheme of STORAGE-DESIGN.md §3, at the SQL level: a feed's sequence row, incremented by the
/// writing transaction and locked until it commits, makes commit order equal sequence order, so a reader's cursor
/// never passes a change that commits later. The naive scheme (AUTO_INCREMENT) is shown losing a change.
@Suite("Change-feed cursors with concurrent writers", needsMariaDB)
struct FeedOrderingTests {
    static let schema = [
        "CREATE TABLE seqs (name VARCHAR(191) PRIMARY KEY, value BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB",
        "INSERT INTO seqs VALUES ('feed', 0)",
        """
        CREATE TABLE feed (id VARCHAR(64) PRIMARY KEY, seq BIGINT UNSIGNED NOT NULL UNIQUE)
        ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """,
        "CREATE TABLE naive (seq BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, id VARCHAR(64) NOT NULL) ENGINE=InnoDB",
    ]

    /// Takes the feed's next value (the row stays locked until the transaction ends) and writes `id` with it.
    static func write(_ id: String, on connection: MySQLConnection) throws -> UInt64 {
        let allocated = try connection.execute(
            "UPDATE seqs SET value = LAST_INSERT_ID(value + 1) WHERE name = 'feed'")
        try connection.execute("INSERT INTO feed (id, seq) VALUES (?, ?)", [.text(id), .uint(allocated.lastInsertID)])
        return allocated.lastInsertID
    }

    static func read(
        _ table: String, after cursor: UInt64, limit: Int, pool: MySQLPool
    ) async throws -> [(
        String, UInt64
    )] {
        try await pool.execute(
            "SELECT id, seq FROM \(table) WHERE seq > ? ORDER BY seq LIMIT ?",
            [
                .uint(cursor), .int(Int64(limit)),
            ]
        ).rows.map { (try $0.string(0), try $0.uint64(1)) }
    }

    @Test("a later writer waits for the earlier one's commit, so the reader sees both, in order")
    func sequenceRowOrdersCommits() async throws {
        try await TestMariaDB.withDatabase("feedlock") { database in
            let writers = database.makePool(MySQLPoolOptions(maximumConnections: 2))
            let reader = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            for statement in Self.schema { try await reader.execute(statement) }
            let aHasItsSequence = Gate()
            let releaseA = Gate()
            async let a: UInt64 = writers.transaction(retry: .never) { connection in
                let seq = try Self.write("a", on: connection)
                aHasItsSequence.open()
                try releaseA.wait()
                return seq
            }
            try await eventually("A holds its sequence value") { aHasItsSequence.isOpen }
            async let b: UInt64 = writers.transaction(retry: .never) { try Self.write("b", on: $0) }
            try await eventually("B waits for A's sequence row") {
                try await sessionsRunning("UPDATE seqs", reader) == 1
            }
            #expect(try await Self.read("feed", after: 0, limit: 10, pool: reader).isEmpty)
            releaseA.open()
            let (seqA, seqB) = try await (a, b)
            #expect(seqA == 1 && seqB == 2)
            let seen = try await Self.read("feed", after: 0, limit: 10, pool: reader)
            #expect(seen.map(\.0) == ["a", "b"])
        }
    }

    @Test("the naive AUTO_INCREMENT feed loses a change: the reader's cursor passes it before it commits")
    func autoIncrementLosesChanges() async throws {
        try await TestMariaDB.withDatabase("feednaive") { database in
            let writers = database.makePool(MySQLPoolOptions(maximumConnections: 2))
            let reader = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            for statement in Self.schema { try await reader.execute(statement) }
            let aHasItsSequence = Gate()
            let releaseA = Gate()
            async let a: Void = writers.transaction(retry: .never) { connection in
                try connection.execute("INSERT INTO naive (id) VALUES ('a')")
                aHasItsSequence.open()
                try releaseA.wait()
            }
            try await eventually("A holds its sequence value") { aHasItsSequence.isOpen }
            try await writers.transaction(retry: .never) { try $0.execute("INSERT INTO naive (id) VALUES ('b')") }
            var seen = try await Self.read("naive", after: 0, limit: 10, pool: reader)
            let cursor = try #require(seen.last?.1)
            releaseA.open()
            try await a
            seen += try await Self.read("naive", after: cursor, limit: 10, pool: reader)
            #expect(seen.map(\.0) == ["b"], "A committed with a smaller value than the reader's cursor")
            #expect(try await reader.execute("SELECT COUNT(*) FROM naive").rows[0].int64(0) == 2)
        }
    }

    @Test(
        "writers on three pools, some slow to commit and some rolled back; every reader sees each acknowledged write once",
        .timeLimit(.minutes(2)))
    func jepsenStyleSetCheck() async throws {
        try await TestMariaDB.withDatabase("feedset") { database in
            let instances = (0..<3).map { _ in database.makePool(MySQLPoolOptions(maximumConnections: 3)) }
            let readerPools = (0..<2).map { _ in database.makePool(MySQLPoolOptions(maximumConnections: 1)) }
            for statement in Self.schema { try await instances[0].execute(statement) }
            let acknowledged = Recorder<String>()
            let writersDone = Gate()
            struct Abandoned: Error {}

            async let observed: [[(String, UInt64)]] = withThrowingTaskGroup(of: [(String, UInt64)].self) { group in
                for pool in readerPools {
                    group.addTask {
                        var cursor: UInt64 = 0
                        var seen: [(String, UInt64)] = []
                        while true {
                            let finished = writersDone.isOpen
                            let page = try await Self.read("feed", after: cursor, limit: 7, pool: pool)
                            seen += page
                            cursor = page.last?.1 ?? cursor
                            if page.isEmpty {
                                if finished { return seen }
                                try await Task.sleep(for: .milliseconds(2))
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for (instance, pool) in instances.enumerated() {
                    for writer in 0..<3 {
                        group.addTask {
                            for index in 0..<15 {
                                let id = "i\(instance)-w\(writer)-\(index)"
                                let abandon = index % 7 == 3
                                do {
                                    try await pool.transaction { connection in
                                        _ = try Self.write(id, on: connection)
                                        // Hold the sequence row a little, as a slow commit would.
                                        try connection.execute("DO SLEEP(?)", [.double(Double.random(in: 0...0.004))])
                                        if abandon { throw Abandoned() }
                                    }
                                    acknowledged.append(id)
                                } catch is Abandoned {}
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            writersDone.open()
            let streams = try await observed
            let expected = Set(acknowledged.all)
            // 3 instances × 3 writers × 15 writes, of which 2 per writer are rolled back.
            let acknowledgedCount: Int = 9 * 13
            #expect(expected.count == acknowledgedCount)
            for stream in streams {
                let ids = stream.map(\.0)
                #expect(Set(ids) == expected, "every acknowledged write, nothing else")
                #expect(ids.count == expected.count, "no write seen twice")
                #expect(stream.map(\.1) == stream.map(\.1).sorted(), "in sequence order")
            }
        }
    }
}
