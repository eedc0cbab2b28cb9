import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

/// Suites that need a MariaDB server: skipped with a visible reason only when none can be had (never in CI).
let needsMariaDB = ConditionTrait.enabled(if: TestMariaDB.isAvailable, Comment(rawValue: TestMariaDB.unavailableReason))

/// A one-shot latch that a blocking database closure can wait on (on its connection's thread, never on the
/// cooperative pool) until another task opens it.
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

/// A counter shared by closures on different threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    @discardableResult
    func increment() -> Int {
        lock.withLock {
            value += 1; return value
        }
    }

    var current: Int { lock.withLock { value } }
}

/// Things recorded by closures on different threads.
final class Recorder<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) { lock.withLock { elements.append(element) } }

    var all: [Element] { lock.withLock { elements } }
}

/// Waits until `condition` holds, polling; fails the test after `seconds`.
func eventually(
    _ what: String, seconds: Double = 30, _ condition: () async throws -> Bool
) async throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while try await !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Kills a session from another connection, as an administrator or a failover would.
func kill(session id: UInt, on configuration: MySQLConfiguration) throws {
    let killer = try MySQLConnection.open(configuration)
    defer { killer.disconnect() }
    try killer.query("KILL CONNECTION \(id)")
}

/// The server's id for a connection's session.
func sessionID(_ connection: MySQLConnection) throws -> UInt {
    guard let id = connection.connectionID else { throw MySQLError(.misuse, message: "not connected") }
    return id
}

/// The MySQLError `body` throws, if any (for closures that run on a connection's thread, where `#expect` has no
/// test to report to).
func catchMySQLError(_ body: () throws -> Void) -> MySQLError? {
    do {
        try body()
        return nil
    } catch let error as MySQLError {
        return error
    } catch {
        return MySQLError(.misuse, message: "not a MySQLError: \(error)")
    }
}

/// How many sessions of this pool's database are running a statement that starts with `prefix` (other tests'
/// databases left out). A statement that cannot finish while another session holds its row lock and that shows
/// here is waiting for that lock. (`information_schema.innodb_trx` would say so directly, but InnoDB serves it
/// from a cache that frequent readers, other tests among them, keep from ever refreshing.)
func sessionsRunning(_ prefix: String, _ pool: MySQLPool) async throws -> Int {
    let count = try await pool.execute(
        """
        SELECT COUNT(*) FROM information_schema.processlist
        WHERE db = DATABASE() AND command IN ('Query', 'Execute') AND info LIKE CONCAT(?, '%')
        """, [.text(prefix)]
    ).rows[0].int64(0)
    return Int(count)
}
