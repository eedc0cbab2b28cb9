import Foundation
import Logging
import ServiceLifecycle

/// Work the running server repeats on a timer (the lifecycle rule, purges, watching for notifications other
/// processes wrote), as a service of the application: it stops at graceful shutdown. With a `lease`, the work runs
/// once per interval across every instance of a fleet instead of once per interval on each.
struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    var lease: PeriodicLease?
    let work: @Sendable () async throws -> Void

    init(
        name: String, interval: Duration, logger: Logger, lease: PeriodicLease? = nil,
        work: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.lease = lease
        self.work = work
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await runOnce()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("\(name) failed: \(error)")
                }
                try await Task.sleep(for: lease.map { _ in PeriodicLease.tick(for: interval) } ?? interval)
            }
        }
    }

    /// One tick: the work, if no lease is needed or this instance wins the run due now. Returns whether it ran.
    @discardableResult
    func runOnce() async throws -> Bool {
        if let lease {
            guard try await lease.leases.claimRun(name, interval: interval, holder: lease.holder) else { return false }
            lease.won(name)
        }
        try await work()
        return true
    }
}
