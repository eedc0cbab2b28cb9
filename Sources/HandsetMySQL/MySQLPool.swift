import Foundation
import Logging

/// A bounded pool of connections, each with a thread of its own. Work is a synchronous closure over a
/// `MySQLConnection` that runs on that connection's thread (as GRDB's `DatabaseQueue.write` runs on its queue), so
/// Connector/C's blocking calls never occupy Swift's cooperative threads; callers await its result.
///
///     let pool = MySQLPool(configuration: try MySQLConfiguration(url: url))
///     let count = try await pool.withConnection { try $0.execute("SELECT COUNT(*) FROM t").rows[0].int64(0) }
///     try await pool.transaction { db in try db.execute("UPDATE t SET n = n + 1 WHERE id = ?", [1]) }
///
/// Before lending a connection the pool checks it (see `MySQLConnection.prepareForLease`): a session the server
/// closed is replaced; a server that cannot be reached fails the borrower with `connectionFailed`, naming the
/// redacted URL. Borrowers beyond `maximumConnections` wait in order, up to `leaseTimeout`.
public final class MySQLPool: @unchecked Sendable {
    public let configuration: MySQLConfiguration
    public let options: MySQLPoolOptions
    private let logger: Logger?

    // Everything below is guarded by `lock`.
    private let lock = NSLock()
    private var machine: PoolStateMachine
    private var slots: [PoolSlot] = []
    private var waiting: [PoolStateMachine.WaiterID: CheckedContinuation<PoolSlot, Error>] = [:]
    private var timeouts: [PoolStateMachine.WaiterID: Task<Void, Never>] = [:]
    /// Borrowers that asked but have not reached the queue yet, and those of them cancelled meanwhile.
    private var arriving: Set<PoolStateMachine.WaiterID> = []
    private var cancelledOnArrival: Set<PoolStateMachine.WaiterID> = []
    private var nextWaiterID: PoolStateMachine.WaiterID = 0
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        configuration: MySQLConfiguration, options: MySQLPoolOptions = MySQLPoolOptions(), logger: Logger? = nil
    ) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.machine = PoolStateMachine(maximumSize: options.maximumConnections)
    }

    /// Runs `body` with a connection of the pool, on that connection's thread. An open transaction left behind by
    /// `body` is rolled back before the connection goes back.
    @discardableResult
    public func withConnection<Value: Sendable>(
        _ body: @escaping @Sendable (MySQLConnection) throws -> Value
    ) async throws -> Value {
        let slot = try await lease()
        let pingAfterIdle = options.pingAfterIdle
        let logger = self.logger
        do {
            return try await slot.thread.run { [self] in
                // Back to the pool from the connection's own thread the moment the work is done: on a busy
                // machine the borrower's task may wait a while for a cooperative thread, and the connection must
                // not sit idle and unavailable meanwhile.
                defer { release(slot) }
                return try Self.run(body, on: slot, pingAfterIdle: pingAfterIdle, logger: logger)
            }
        } catch let rejected as ConnectionThread.Stopped {
            // The job never ran (only a retired slot's thread refuses work; a lent slot is never retired).
            release(slot)
            throw MySQLError(.poolClosed, message: "the pool is closed (\(rejected))")
        }
    }

    private static func run<Value>(
        _ body: (MySQLConnection) throws -> Value, on slot: PoolSlot, pingAfterIdle: Duration, logger: Logger?
    ) throws -> Value {
        let connection = slot.connection
        let previousSession = connection.connectionID
        try connection.prepareForLease(pingAfterIdle: pingAfterIdle)
        if let previousSession, previousSession != connection.connectionID {
            logger?.notice(
                "mysql: replaced a closed session",
                metadata: ["database": "\(connection.configuration)", "slot": "\(slot.index)"])
        }
        defer { connection.resetAfterLease() }
        return try body(connection)
    }

    /// Runs `body` in a transaction and commits it. A deadlock (1213), a lock wait timeout (1205) or a connection
    /// lost before COMMIT rolls it back and runs it again on a fresh lease, after a short random wait, up to
    /// `retry.maximumAttempts`; `body` must therefore do nothing outside the database that cannot be repeated.
    /// A connection lost during COMMIT is not retried: it fails with `commitOutcomeUnknown`.
    @discardableResult
    public func transaction<Value: Sendable>(
        isolation: MySQLIsolationLevel? = nil, retry: MySQLRetryPolicy = .default,
        _ body: @escaping @Sendable (MySQLConnection) throws -> Value
    ) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try connection.transaction(isolation: isolation, body)
                }
            } catch let error as MySQLError where error.isTransientTransactionFailure && attempt < retry.maximumAttempts
            {
                retry.onRetry?(error, attempt)
                logger?.debug(
                    "mysql: transaction retried", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: retry.backoff(afterAttempt: attempt))
                attempt += 1
            }
        }
    }

    /// One statement on any connection.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [MySQLValue] = []) async throws -> MySQLResult {
        try await withConnection { try $0.execute(sql, parameters) }
    }

    /// A round trip to the server (for a readiness check).
    public func ping() async throws {
        try await withConnection { try $0.ping() }
    }

    public var statistics: MySQLPoolStatistics {
        lock.withLock {
            MySQLPoolStatistics(
                maximumConnections: machine.maximumSize, connections: machine.slotCount,
                leased: machine.leasedCount, idle: machine.idleCount, waiting: machine.waitingCount,
                peakLeased: machine.peakLeased)
        }
    }

    /// Fails the waiting borrowers, closes idle connections, waits for lent ones to come back and closes them.
    public func close() async {
        let (shutdown, waiters, idle) = lock.withLock {
            let shutdown = machine.close()
            let waiters = shutdown.waiters.compactMap { waiting.removeValue(forKey: $0) }
            for id in shutdown.waiters { timeouts.removeValue(forKey: id)?.cancel() }
            return (shutdown, waiters, shutdown.idleSlots.map { slots[$0] })
        }
        for waiter in waiters { waiter.resume(throwing: MySQLError(.poolClosed, message: "the pool is closed")) }
        for slot in idle { await slot.shutDown() }
        if shutdown.leasedSlots > 0 {
            await withCheckedContinuation { continuation in
                let done = lock.withLock {
                    if machine.leasedCount == 0 { return true }
                    closeWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
    }

    // MARK: Leasing

    private func lease() async throws -> PoolSlot {
        let id = lock.withLock {
            nextWaiterID += 1
            arriving.insert(nextWaiterID)
            return nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PoolSlot, Error>) in
                enum Outcome {
                    case lend(PoolSlot)
                    case wait
                    case fail(Error)
                }
                let outcome: Outcome = lock.withLock {
                    arriving.remove(id)
                    if cancelledOnArrival.remove(id) != nil { return .fail(CancellationError()) }
                    switch machine.lease(id) {
                    case .use(let index):
                        return .lend(slots[index])
                    case .create(let index):
                        let slot = PoolSlot(
                            index: index, configuration: configuration,
                            statementCacheSize: options.statementCacheSize)
                        slots.append(slot)
                        return .lend(slot)
                    case .wait:
                        waiting[id] = continuation
                        return .wait
                    case .closed:
                        return .fail(MySQLError(.poolClosed, message: "the pool is closed"))
                    }
                }
                switch outcome {
                case .lend(let slot): continuation.resume(returning: slot)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: scheduleTimeout(for: id)
                }
            }
        } onCancel: {
            self.giveUp(id, because: CancellationError())
        }
    }

    private func scheduleTimeout(for id: PoolStateMachine.WaiterID) {
        let timeout = options.leaseTimeout
        let maximum = options.maximumConnections
        let task = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            self?.giveUp(
                id,
                because: MySQLError(
                    .poolTimeout,
                    message: "no database connection became free within \(timeout) (all \(maximum) in use)"))
        }
        let keep = lock.withLock {
            guard waiting[id] != nil else { return false }
            timeouts[id] = task
            return true
        }
        if !keep { task.cancel() }
    }

    /// Fails a borrower that is still waiting (or has not reached the queue yet).
    private func giveUp(_ id: PoolStateMachine.WaiterID, because error: Error) {
        let continuation: CheckedContinuation<PoolSlot, Error>? = lock.withLock {
            if arriving.contains(id) {
                cancelledOnArrival.insert(id)
                return nil
            }
            guard machine.abandon(id) else { return nil }
            timeouts.removeValue(forKey: id)?.cancel()
            return waiting.removeValue(forKey: id)
        }
        continuation?.resume(throwing: error)
    }

    private func release(_ slot: PoolSlot) {
        enum Next {
            case handOver(CheckedContinuation<PoolSlot, Error>)
            case idle
            case retire([CheckedContinuation<Void, Never>])
        }
        let next: Next = lock.withLock {
            while true {
                switch machine.release(slot: slot.index) {
                case .handOver(_, let waiter):
                    timeouts.removeValue(forKey: waiter)?.cancel()
                    // Every queued waiter has a continuation (both change under this lock); should one ever be
                    // missing, the slot goes to the next waiter instead of being lost.
                    guard let continuation = waiting.removeValue(forKey: waiter) else { continue }
                    return .handOver(continuation)
                case .keepIdle:
                    return .idle
                case .retire:
                    if machine.leasedCount == 0 {
                        defer { closeWaiters.removeAll() }
                        return .retire(closeWaiters)
                    }
                    return .retire([])
                }
            }
        }
        switch next {
        case .handOver(let continuation):
            continuation.resume(returning: slot)
        case .idle:
            break
        case .retire(let closeWaiters):
            Task {
                await slot.shutDown()
                for waiter in closeWaiters { waiter.resume() }
            }
        }
    }
}

/// One pooled connection and the thread it runs on. `connection` is touched only on `thread`.
final class PoolSlot: @unchecked Sendable {
    let index: Int
    let thread: ConnectionThread
    let connection: MySQLConnection

    init(index: Int, configuration: MySQLConfiguration, statementCacheSize: Int) {
        self.index = index
        self.thread = ConnectionThread(name: "mysql-pool-\(index)")
        self.connection = MySQLConnection(configuration: configuration, statementCacheSize: statementCacheSize)
    }

    func shutDown() async {
        _ = try? await thread.run { [self] in connection.disconnect() }
        thread.stop()
    }
}
