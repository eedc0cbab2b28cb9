import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@Suite("MariaDB pool", needsMariaDB)
struct MySQLPoolTests {
    @Test("many more tasks than connections: every transaction commits, never more than the bound at once")
    func contention() async throws {
        try await TestMariaDB.withDatabase("contention") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 3, leaseTimeout: .seconds(120)))
            try await pool.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB")
            try await pool.execute("CREATE TABLE seen (session BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB")
            try await pool.execute("INSERT INTO counter VALUES (1, 0)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<60 {
                    group.addTask {
                        try await pool.transaction { connection in
                            try connection.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
                            try connection.execute("INSERT INTO seen VALUES (CONNECTION_ID())")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.execute("SELECT n FROM counter").rows[0].int64(0) == 60)
            let sessions = try await pool.execute("SELECT COUNT(DISTINCT session) FROM seen").rows[0].int64(0)
            #expect(sessions >= 1 && sessions <= 3)
            let statistics = pool.statistics
            #expect(statistics.peakLeased <= 3)
            #expect(statistics.connections <= 3)
            #expect(statistics.leased == 0)
            #expect(statistics.waiting == 0)
        }
    }

    @Test(
        "blocked database calls do not occupy Swift's cooperative threads: other tasks run meanwhile",
        .timeLimit(.minutes(1)))
    func blockingCallsStayOffCooperativePool() async throws {
        try await TestMariaDB.withDatabase("offpool") { database in
            // More blocked calls than this machine has cores (the cooperative pool's width).
            let blocked = ProcessInfo.processInfo.activeProcessorCount + 2
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: blocked))
            let holderPool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let observer = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            try await pool.execute("CREATE TABLE gate (id INT PRIMARY KEY) ENGINE=InnoDB")
            try await pool.execute("INSERT INTO gate VALUES (1)")
            let release = Gate()
            let holding = Gate()
            async let holder: Void = holderPool.transaction { connection in
                try connection.execute("SELECT id FROM gate WHERE id = 1 FOR UPDATE")
                holding.open()
                try release.wait(seconds: 60)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<blocked {
                    group.addTask {
                        try await pool.transaction { connection in
                            try holding.wait()
                            try connection.execute("SELECT id FROM gate WHERE id = 1 FOR UPDATE")
                        }
                    }
                }
                try await eventually("\(blocked) transactions wait for the row lock") {
                    try await sessionsRunning("SELECT id FROM gate WHERE id = 1 FOR UPDATE", observer) == blocked
                }
                // With every blocked call parked on a thread of its own, plain async work still gets threads.
                let sum = await withTaskGroup(of: Int.self) { work in
                    for value in 1...100 {
                        work.addTask {
                            await Task.yield()
                            return value
                        }
                    }
                    return await work.reduce(0, +)
                }
                #expect(sum == 5050)
                release.open()
                try await group.waitForAll()
            }
            try await holder
        }
    }

    @Test(
        "a connection is back in the pool as soon as its work is done, even while the borrower's task cannot run",
        .timeLimit(.minutes(1)))
    func releasedWithoutTheBorrowersTask() async throws {
        try await TestMariaDB.withDatabase("release") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let workMayFinish = Gate()
            let blockersMayGo = Gate()
            let blockersStarted = Counter()
            let width = ProcessInfo.processInfo.activeProcessorCount
            async let borrower: Int64 = pool.withConnection { connection in
                try workMayFinish.wait()
                return try connection.execute("SELECT 7").rows[0].int64(0)
            }
            try await eventually("the borrower has the connection") { pool.statistics.leased == 1 }
            // Watched from a plain thread: the cooperative threads are about to be blocked on purpose.
            let releasedWhileStarved = await withCheckedContinuation { (result: CheckedContinuation<Bool, Never>) in
                Thread {
                    while blockersStarted.current < width { usleep(1000) }
                    workMayFinish.open()
                    let deadline = Date(timeIntervalSinceNow: 10)
                    var released = false
                    while Date() < deadline {
                        if pool.statistics.leased == 0 {
                            released = true
                            break
                        }
                        usleep(1000)
                    }
                    blockersMayGo.open()
                    result.resume(returning: released)
                }.start()
                // Every cooperative thread blocks, so no task (the borrower's included) can run until released.
                for _ in 0..<width {
                    Task.detached {
                        blockersStarted.increment()
                        try? blockersMayGo.wait()
                    }
                }
            }
            #expect(releasedWhileStarved)
            #expect(try await borrower == 7)
        }
    }

    @Test("a borrower that waits longer than the lease timeout gets poolTimeout; the pool carries on")
    func leaseTimeout() async throws {
        try await TestMariaDB.withDatabase("leasetimeout") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1, leaseTimeout: .milliseconds(200)))
            let release = Gate()
            let holding = Gate()
            async let holder: Int64 = pool.withConnection { connection in
                holding.open()
                try release.wait()
                return try connection.execute("SELECT 1").rows[0].int64(0)
            }
            try await eventually("the holder has the connection") { pool.statistics.leased == 1 }
            let error = try await #require(throws: MySQLError.self) { try await pool.execute("SELECT 2") }
            #expect(error.kind == .poolTimeout)
            release.open()
            #expect(try await holder == 1)
            #expect(try await pool.execute("SELECT 3").rows[0].int64(0) == 3)
            #expect(pool.statistics.waiting == 0)
        }
    }

    @Test("a waiting borrower that is cancelled leaves the queue at once")
    func cancelledWhileWaiting() async throws {
        try await TestMariaDB.withDatabase("cancel") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1, leaseTimeout: .seconds(60)))
            let release = Gate()
            async let holder: Void = pool.withConnection { _ in try release.wait() }
            try await eventually("the holder has the connection") { pool.statistics.leased == 1 }
            let waiter = Task { try await pool.execute("SELECT 1") }
            try await eventually("the second borrower waits") { pool.statistics.waiting == 1 }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiting == 0)
            release.open()
            try await holder
            #expect(try await pool.execute("SELECT 4").rows[0].int64(0) == 4)
        }
    }

    @Test("closing fails waiting borrowers, lets lent connections finish, and refuses new ones")
    func close() async throws {
        try await TestMariaDB.withDatabase("close") { database in
            let pool = MySQLPool(
                configuration: database.configuration, options: MySQLPoolOptions(maximumConnections: 1))
            let release = Gate()
            async let holder: Int64 = pool.withConnection { connection in
                try release.wait()
                return try connection.execute("SELECT 5").rows[0].int64(0)
            }
            try await eventually("the holder has the connection") { pool.statistics.leased == 1 }
            let waiter = Task { try await pool.execute("SELECT 1") }
            try await eventually("the second borrower waits") { pool.statistics.waiting == 1 }
            async let closing: Void = pool.close()
            let waiterError = try await #require(throws: MySQLError.self) { try await waiter.value }
            #expect(waiterError.kind == .poolClosed)
            release.open()
            #expect(try await holder == 5)
            await closing
            let after = try await #require(throws: MySQLError.self) { try await pool.execute("SELECT 1") }
            #expect(after.kind == .poolClosed)
        }
    }

    @Test("statements are prepared once per connection and reused")
    func statementReuse() async throws {
        try await TestMariaDB.withDatabase("reuse") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let prepared = try await pool.withConnection { connection in
                func count() throws -> Int64 {
                    try connection.execute("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").rows[0].int64(1)
                }
                let before = try count()
                for value in 0..<20 { try connection.execute("SELECT ? + 1", [.int(Int64(value))]) }
                return try count() - before
            }
            // One prepare for the SELECT; the SHOW was prepared before the first count.
            #expect(prepared == 1)
        }
    }
}
