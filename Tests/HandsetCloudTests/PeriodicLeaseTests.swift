import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import Logging
import Testing

@testable import HandsetCloud

/// Counts the runs of a task's work, whichever instance does it.
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [String] = []

    func record(_ holder: String) { lock.withLock { runs.append(holder) } }
    var holders: [String] { lock.withLock { runs } }
}

@Suite("Periodic work once per interval across a fleet")
struct PeriodicLeaseTests {
    /// Three instances' timers for one task on one storage, with an hour's interval.
    func instances(
        on leases: any LeaseRepository, counter: RunCounter, metrics: CloudMetrics, interval: Duration = .seconds(3600)
    ) -> [PeriodicTask] {
        ["fleet-1", "fleet-2", "fleet-3"].map { holder in
            PeriodicTask(
                name: "object lifecycle", interval: interval, logger: Logger(label: "test"),
                lease: PeriodicLease(leases: leases, holder: holder, won: { metrics.periodicRunWon(task: $0) }),
                work: { counter.record(holder) })
        }
    }

    @Test("of three instances ticking in turn and all at once, one does the work once", arguments: TestBackend.allCases)
    func oncePerInterval(backend: TestBackend) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await backend.withStorage(directory: directory) { storage in
            let counter = RunCounter()
            let metrics = CloudMetrics(instanceId: "test")
            let tasks = instances(on: storage.leases, counter: counter, metrics: metrics)
            // Started one after the other (a fleet coming up), then ticking again within the hour.
            for _ in 0..<3 {
                for task in tasks { try await task.runOnce() }
            }
            // All at once (timers that fire together).
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for task in tasks + tasks { group.addTask { try await task.runOnce() } }
                for try await _ in group {}
            }
            #expect(counter.holders == ["fleet-1"])
            #expect(sample(metrics.render(), "handset_periodic_runs_total", ["task": "object lifecycle"]) == 1)
        }
    }

    @Test("once the interval has passed, the next tick of any instance runs it again")
    func nextInterval() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The lease goes by the storage's clock: here a test clock.
        let clock = TestClock()
        let leases = SQLiteLeaseRepository(
            database: try CloudDatabase.open(in: DataDirectory(root: directory)), now: { clock.now })
        let counter = RunCounter()
        let tasks = instances(on: leases, counter: counter, metrics: CloudMetrics(instanceId: "test"))
        #expect(try await tasks[1].runOnce())
        clock.advance(by: 3599)
        #expect(try await !tasks[2].runOnce())
        clock.advance(by: 1)
        #expect(try await tasks[2].runOnce())
        #expect(try await !tasks[0].runOnce())
        #expect(counter.holders == ["fleet-2", "fleet-3"])
    }

    @Test("without a lease a task runs at every tick; with one it tries 4 times per interval, at most a minute apart")
    func ticks() async throws {
        let counter = RunCounter()
        let plain = PeriodicTask(
            name: "notification watcher", interval: .milliseconds(500), logger: Logger(label: "test"),
            work: { counter.record("here") })
        for _ in 0..<3 { #expect(try await plain.runOnce()) }
        #expect(counter.holders.count == 3)
        #expect(PeriodicLease.tick(for: .seconds(60)) == .seconds(15))
        #expect(PeriodicLease.tick(for: .seconds(3600)) == .seconds(60))
    }
}
