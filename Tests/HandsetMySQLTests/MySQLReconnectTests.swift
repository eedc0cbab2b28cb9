import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@Suite("MariaDB driver: dropped connections", needsMariaDB)
struct MySQLReconnectTests {
    @Test("a session killed while idle in the pool is replaced before the next borrower uses it")
    func killedBetweenLeases() async throws {
        try await TestMariaDB.withDatabase("killidle") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let first = try await pool.withConnection { try $0.execute("SELECT CONNECTION_ID()").rows[0].uint64(0) }
            try kill(session: UInt(first), on: database.configuration)
            let second = try await pool.withConnection { try $0.execute("SELECT CONNECTION_ID()").rows[0].uint64(0) }
            #expect(second != first)
            #expect(pool.statistics.connections == 1)
        }
    }

    @Test("a session killed between two statements of one lease is replaced for the second (no transaction open)")
    func killedBetweenStatements() async throws {
        try await TestMariaDB.withDatabase("killstmt") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let configuration = database.configuration
            let (before, after, count) = try await pool.withConnection { connection in
                try connection.query("CREATE TABLE t (id INT PRIMARY KEY)")
                try connection.execute("INSERT INTO t VALUES (1)")
                let before = try connection.execute("SELECT CONNECTION_ID()").rows[0].uint64(0)
                try kill(session: UInt(before), on: configuration)
                try connection.execute("INSERT INTO t VALUES (2)")
                let after = try connection.execute("SELECT CONNECTION_ID()").rows[0].uint64(0)
                return (before, after, try connection.execute("SELECT COUNT(*) FROM t").rows[0].int64(0))
            }
            #expect(before != after)
            #expect(count == 2)
        }
    }

    @Test("a session killed inside a transaction is reported, its writes are gone, and the next use reconnects")
    func killedInsideTransaction() async throws {
        try await TestMariaDB.withDatabase("killtx") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            let configuration = database.configuration
            try await pool.execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB")
            // Closures on a connection's thread report back; the test asserts here.
            let (lost, refusedAfterwards, stillInTransaction, afterRollback) = try await pool.withConnection {
                connection in
                try connection.beginTransaction()
                try connection.execute("INSERT INTO t VALUES (1)")
                try kill(session: try sessionID(connection), on: configuration)
                let lost = catchMySQLError { try connection.execute("INSERT INTO t VALUES (2)") }
                // Until the caller acknowledges, the connection refuses to carry on outside the transaction.
                let refusedAfterwards = catchMySQLError { try connection.execute("SELECT 1") }
                let stillInTransaction = connection.isInTransaction
                try connection.rollback()
                let afterRollback = try connection.execute("SELECT COUNT(*) FROM t").rows[0].int64(0)
                return (lost, refusedAfterwards, stillInTransaction, afterRollback)
            }
            let error = try #require(lost)
            #expect(refusedAfterwards?.kind == .connectionLost)
            #expect(stillInTransaction)
            #expect(afterRollback == 0)
            #expect(error.kind == .connectionLost)
            #expect(error.message.contains("inside a transaction"))
            #expect(try await pool.execute("SELECT COUNT(*) FROM t").rows[0].int64(0) == 0)
        }
    }

    @Test("the pool's transaction runs again after its connection drops before COMMIT, and commits once")
    func transactionRetriedAfterKill() async throws {
        try await TestMariaDB.withDatabase("killretry") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 2))
            let configuration = database.configuration
            try await pool.execute("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, note TEXT) ENGINE=InnoDB")
            let attempts = Counter()
            let retried = Recorder<MySQLError>()
            let id = try await pool.transaction(retry: MySQLRetryPolicy(onRetry: { error, _ in retried.append(error) }))
            {
                connection in
                let attempt = attempts.increment()
                let result = try connection.execute("INSERT INTO t (note) VALUES (?)", [.text("attempt \(attempt)")])
                if attempt == 1 { try kill(session: try sessionID(connection), on: configuration) }
                try connection.execute(
                    "UPDATE t SET note = CONCAT(note, ' done') WHERE id = ?", [.uint(result.lastInsertID)])
                return result.lastInsertID
            }
            #expect(attempts.current == 2)
            #expect(retried.all.map(\.kind) == [.connectionLost])
            let rows = try await pool.execute("SELECT id, note FROM t").rows
            #expect(rows.count == 1)
            #expect(try rows[0].uint64("id") == id)
            #expect(try rows[0].string("note") == "attempt 2 done")
        }
    }

    @Test("a server that cannot be reached fails with a clear error naming the redacted URL, and no retry loop")
    func serverGone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(UUID())")
        var configuration = MySQLConfiguration(
            user: "root", password: MySQLPassword("never-shown-secret"), database: "d",
            socketPath: directory.appendingPathComponent("mysqld.sock").path)
        configuration.connectTimeout = 1
        let pool = MySQLPool(configuration: configuration, options: MySQLPoolOptions(maximumConnections: 2))
        for _ in 0..<2 {
            let error = try await #require(throws: MySQLError.self) {
                try await pool.transaction { try $0.execute("SELECT 1") }
            }
            #expect(error.kind == .connectionFailed)
            #expect(error.number == MySQLErrorNumber.cannotConnectLocal)
            #expect(error.description.contains("cannot connect to mysql://root:***@localhost/d?socket="))
            #expect(!error.description.contains("never-shown-secret"))
        }
        await pool.close()
    }

    @Test("a server restarted under the pool: borrowers fail clearly while it is down and carry on once it is back")
    func serverRestart() async throws {
        // This test starts and stops a server of its own (needs the server binary, which CI installs).
        guard TestMariaDBServerProcess.isPossible || ProcessInfo.processInfo.environment["CI"] != nil else { return }
        let server = try TestMariaDBServerProcess(directory: nil)
        do {
            let configuration = try await server.start()
            let pool = MySQLPool(configuration: configuration, options: MySQLPoolOptions(maximumConnections: 2))
            let before = try await pool.withConnection { try $0.execute("SELECT CONNECTION_ID()").rows[0].uint64(0) }
            await server.stop()
            let down = try await #require(throws: MySQLError.self) { try await pool.execute("SELECT 1") }
            #expect(down.kind == .connectionFailed)
            _ = try await server.start()
            let after = try await pool.withConnection { try $0.execute("SELECT 1").rows[0].int64(0) }
            #expect(after == 1)
            #expect(before > 0)
            await pool.close()
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }
}
