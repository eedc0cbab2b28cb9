import Foundation
import HandsetMySQL

/// The MariaDB server that tests run against, and a fresh database per test.
///
/// `scripts/test` (and so CI) starts one server for the whole run and passes its URL in `HANDSET_TEST_MYSQL_URL`.
/// Without that variable, the first test that needs the server starts one for this test process with
/// `scripts/mariadb-test-server` (it stops by itself when the process ends). Only when there is neither a URL nor
/// a `mariadbd` binary (and `CI` is unset) do the tests skip, with `unavailableReason` as the visible message.
public enum TestMariaDB {
    public static let urlVariable = "HANDSET_TEST_MYSQL_URL"

    /// Whether tests that need MariaDB should run. In CI they always do, and fail if the server is missing.
    public static var isAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment[urlVariable] != nil || serverBinary != nil || environment["CI"] != nil
    }

    public static let unavailableReason =
        "MariaDB tests skipped: no \(urlVariable) and no mariadbd (run scripts/test, or apt-get install mariadb-server)"

    /// The server's configuration (no default database).
    public static func server() async throws -> MySQLConfiguration {
        try await ServerLauncher.shared.configuration()
    }

    /// Runs `body` with a database of its own, dropped afterwards (also when `body` throws). Pools made through
    /// `TestDatabase.makePool` are closed first.
    public static func withDatabase<Value>(
        _ label: String = "test", _ body: (TestDatabase) async throws -> Value
    ) async throws -> Value {
        let server = try await server()
        let safeLabel = String(label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20))
        let name = "handset_t_\(safeLabel)_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try await ServerLauncher.shared.adminPool()
        try await admin.execute("CREATE DATABASE `\(name)`")
        let database = TestDatabase(name: name, configuration: server.with(database: name))
        do {
            let value = try await body(database)
            await database.closePools()
            try await admin.execute("DROP DATABASE IF EXISTS `\(name)`")
            return value
        } catch {
            await database.closePools()
            _ = try? await admin.execute("DROP DATABASE IF EXISTS `\(name)`")
            throw error
        }
    }

    static var serverBinary: String? { TestMariaDBServerProcess.serverBinary }
}

/// A database made for one test.
public final class TestDatabase: @unchecked Sendable {
    public let name: String
    public let configuration: MySQLConfiguration
    private let lock = NSLock()
    private var pools: [MySQLPool] = []

    init(name: String, configuration: MySQLConfiguration) {
        self.name = name
        self.configuration = configuration
    }

    /// A pool on this database, closed when the test ends. The default waits long for a connection: a whole test
    /// run shares two cores, and a test should fail on what it checks, not on the machine being busy.
    public func makePool(
        _ options: MySQLPoolOptions = MySQLPoolOptions(maximumConnections: 4, leaseTimeout: .seconds(120))
    ) -> MySQLPool {
        let pool = MySQLPool(configuration: configuration, options: options)
        lock.withLock { pools.append(pool) }
        return pool
    }

    func closePools() async {
        let pools = lock.withLock { self.pools }
        for pool in pools { await pool.close() }
    }
}

/// Finds or starts the server once per test process.
actor ServerLauncher {
    static let shared = ServerLauncher()

    private var started: Task<MySQLConfiguration, Error>?
    private var admin: MySQLPool?

    func configuration() async throws -> MySQLConfiguration {
        if let started { return try await started.value }
        let task = Task { try await Self.locateOrStart() }
        started = task
        return try await task.value
    }

    func adminPool() async throws -> MySQLPool {
        if let admin { return admin }
        let pool = MySQLPool(
            configuration: try await configuration(),
            options: MySQLPoolOptions(maximumConnections: 4, leaseTimeout: .seconds(120)))
        admin = pool
        return pool
    }

    private static func locateOrStart() async throws -> MySQLConfiguration {
        if let url = ProcessInfo.processInfo.environment[TestMariaDB.urlVariable] {
            return try MySQLConfiguration(url: url)
        }
        guard TestMariaDBServerProcess.isPossible else {
            throw MySQLError(.connectionFailed, message: TestMariaDB.unavailableReason)
        }
        let server = try TestMariaDBServerProcess(directory: nil, stopWhenProcessEnds: true)
        return try await server.start()
    }
}
