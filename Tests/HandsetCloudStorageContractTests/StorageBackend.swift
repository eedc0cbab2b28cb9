import Foundation
import HandsetCloudMySQL
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetMySQL
import HandsetMySQLTesting
import Testing

/// The backends every contract test runs against.
enum StorageBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case mysql

    var description: String { rawValue }

    /// Runs `body` with fresh, empty storage of this backend.
    func withStorage<Value>(_ body: (CloudStorage) async throws -> Value) async throws -> Value {
        try await withInstances(1) { try await body($0[0]) }
    }

    /// Runs `body` with `count` independent handles on one fresh storage, as `count` instances of the cloud would
    /// hold: each its own SQLite connection pool on one file, or its own MySQL connection pool on one database.
    func withInstances<Value>(_ count: Int, _ body: ([CloudStorage]) async throws -> Value) async throws -> Value {
        try await withInstances(count) { instances, _ in try await body(instances) }
    }

    /// `withInstances`, with the test database as well on MySQL (for looking at its sessions and locks).
    func withInstances<Value>(
        _ count: Int, _ body: ([CloudStorage], TestDatabase?) async throws -> Value
    ) async throws -> Value {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "handset-contract-\(UUID().uuidString)", isDirectory: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let instances = try (0..<count).map { _ in try SQLiteCloudStorage.open(directory: directory) }
            return try await run(instances) { try await body($0, nil) }
        case .mysql:
            return try await TestMariaDB.withDatabase("contract") { database in
                var instances: [CloudStorage] = []
                for _ in 0..<count {
                    instances.append(
                        try await MySQLCloudStorage.open(
                            database.configuration,
                            options: MySQLPoolOptions(maximumConnections: 6, leaseTimeout: .seconds(120))))
                }
                return try await run(instances) { try await body($0, database) }
            }
        }
    }

    private func run<Value>(
        _ instances: [CloudStorage], _ body: ([CloudStorage]) async throws -> Value
    ) async throws -> Value {
        do {
            let value = try await body(instances)
            for instance in instances { await instance.close() }
            return value
        } catch {
            for instance in instances { await instance.close() }
            throw error
        }
    }
}

/// A fixed point in time tests start from.
let testEpoch = Date(timeIntervalSince1970: 1_795_000_000)

/// A refusal a decision throws.
struct Refused: Error, Equatable {}

/// A thread-safe list, filled from concurrent tasks.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    func append(contentsOf more: [Element]) { lock.withLock { items += more } }
    var all: [Element] { lock.withLock { items } }
}

/// A one-shot latch that a blocking storage closure can wait on (on its connection's thread or its database queue,
/// never on the cooperative pool) until another task opens it.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false

    var isOpen: Bool {
        condition.lock()
        defer { condition.unlock() }
        return opened
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks the calling thread until opened, or fails after `seconds` so that a broken test cannot hang.
    func wait(seconds: Double = 30) throws {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !opened {
            if !condition.wait(until: deadline) { throw GateTimeout() }
        }
    }

    struct GateTimeout: Error {}
}

/// Waits until `condition` holds, polling; fails the test after `seconds`.
func eventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while try await !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// How many sessions on this test database are running a statement that starts with `prefix`. A statement that
/// cannot finish while another session holds its row lock, and that shows here, is waiting for that lock.
func sessionsRunning(_ prefix: String, _ pool: MySQLPool) async throws -> Int {
    let count = try await pool.execute(
        """
        SELECT COUNT(*) FROM information_schema.processlist
        WHERE db = DATABASE() AND command IN ('Query', 'Execute') AND info LIKE CONCAT(?, '%')
        """, [.text(prefix)]
    ).rows[0].int64(0)
    return Int(count)
}
