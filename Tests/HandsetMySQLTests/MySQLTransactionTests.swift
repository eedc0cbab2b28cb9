import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@Suite("MariaDB driver: transactions", needsMariaDB)
struct MySQLTransactionTests {
    @Test("a transaction commits when its body returns and rolls back when it throws")
    func commitAndRollback() async throws {
        try await TestMariaDB.withDatabase("tx") { database in
            let pool = database.makePool()
            try await pool.execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB")
            try await pool.transaction { try $0.execute("INSERT INTO t VALUES (1)") }
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await pool.transaction { connection in
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Refused()
                }
            }
            // A body that leaves a transaction open gets it rolled back when the connection goes back.
            try await pool.withConnection { connection in
                try connection.beginTransaction()
                try connection.execute("INSERT INTO t VALUES (3)")
            }
            let ids = try await pool.execute("SELECT id FROM t ORDER BY id").rows.map { try $0.int64(0) }
            #expect(ids == [1])
            #expect(try await pool.withConnection { $0.isInTransaction } == false)
        }
    }

    @Test("two transactions locking rows in opposite order deadlock; the victim runs again and both commit")
    func deadlockRetried() async throws {
        try await TestMariaDB.withDatabase("deadlock") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 2))
            try await pool.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB")
            try await pool.execute("INSERT INTO accounts VALUES (1, 100), (2, 100)")
            let bothHoldTheirFirstRow = Barrier(parties: 2)
            let attempts = Counter()
            let retried = Recorder<MySQLError>()
            let policy = MySQLRetryPolicy(onRetry: { error, _ in retried.append(error) })
            func transfer(from: Int64, to: Int64) async throws {
                try await pool.transaction(retry: policy) { connection in
                    let attempt = attempts.increment()
                    try connection.execute("UPDATE accounts SET balance = balance - 10 WHERE id = ?", [.int(from)])
                    // Only the first round meets at the barrier; a retried victim goes straight on.
                    if attempt <= 2 { try bothHoldTheirFirstRow.arriveAndWait() }
                    try connection.execute("UPDATE accounts SET balance = balance + 10 WHERE id = ?", [.int(to)])
                }
            }
            async let first: Void = transfer(from: 1, to: 2)
            async let second: Void = transfer(from: 2, to: 1)
            _ = try await (first, second)
            #expect(retried.all.count == 1)
            #expect(retried.all.first?.isDeadlock == true)
            #expect(retried.all.first?.number == 1213)
            #expect(attempts.current == 3)
            let balances = try await pool.execute("SELECT balance FROM accounts ORDER BY id").rows.map {
                try $0.int64(0)
            }
            #expect(balances == [100, 100])
        }
    }

    @Test("a lock wait timeout (1205) rolls the whole transaction back and runs it again")
    func lockWaitTimeoutRetried() async throws {
        try await TestMariaDB.withDatabase("lockwait") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 2))
            try await pool.execute("CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB")
            try await pool.execute("INSERT INTO t VALUES (1, 0)")
            let holderHasLock = Gate()
            let waiterTimedOut = Gate()
            let retried = Recorder<MySQLError>()
            let attempts = Counter()
            async let holder: Void = pool.transaction { connection in
                try connection.execute("UPDATE t SET n = n + 1 WHERE id = 1")
                holderHasLock.open()
                try waiterTimedOut.wait()
            }
            let waiter: Void = try await pool.transaction(
                retry: MySQLRetryPolicy(onRetry: { error, _ in
                    retried.append(error)
                    waiterTimedOut.open()
                })
            ) { connection in
                let attempt = attempts.increment()
                try holderHasLock.wait()
                // A plain INSERT: the second attempt succeeds only if the first one's was rolled back as well.
                try connection.execute("INSERT INTO t VALUES (2, 0)")
                // The first attempt gives up quickly; the second waits for the holder's commit as long as it takes.
                try connection.query("SET SESSION innodb_lock_wait_timeout = \(attempt == 1 ? 1 : 50)")
                try connection.execute("UPDATE t SET n = n + 10 WHERE id = 1")
            }
            _ = try await (holder, waiter)
            #expect(retried.all.map(\.number) == [1205])
            #expect(retried.all.first?.isLockWaitTimeout == true)
            #expect(attempts.current == 2)
            let rows = try await pool.execute("SELECT id, n FROM t ORDER BY id").rows.map {
                try [$0.int64(0), $0.int64(1)]
            }
            #expect(rows == [[1, 11], [2, 0]])
        }
    }

    @Test("errors that running again cannot fix are not retried")
    func permanentErrorsNotRetried() async throws {
        try await TestMariaDB.withDatabase("noretry") { database in
            let pool = database.makePool()
            try await pool.execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB")
            try await pool.execute("INSERT INTO t VALUES (1)")
            let attempts = Counter()
            let error = try await #require(throws: MySQLError.self) {
                try await pool.transaction { connection in
                    attempts.increment()
                    try connection.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error.isDuplicateKey)
            #expect(attempts.current == 1)
        }
    }
}

/// A reusable meeting point for a fixed number of threads (closures on connection threads block on it).
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    func arriveAndWait(seconds: Double = 30) throws {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties { condition.broadcast() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while arrived < parties {
            if !condition.wait(until: deadline) { throw Gate.GateTimeout() }
        }
    }
}
