import Foundation
import HandsetCloudStorage

/// Makes a periodic task's work run once per interval across every instance on one storage, whichever instance's
/// timer comes first: each tick claims the run in the storage (`LeaseRepository.claimRun`, by the database's clock),
/// and only the instance whose claim wins does the work. Every instance keeps ticking, so the work goes on when
/// the instance that did it last is gone.
struct PeriodicLease: Sendable {
    let leases: any LeaseRepository
    /// This instance's id, recorded with the runs it wins.
    let holder: String
    /// Called with the task's name when this instance won a run (counted in `/metrics`).
    var won: @Sendable (String) -> Void = { _ in }

    /// How often to try: a quarter of the interval (at most a minute), so that a run follows the previous one by at
    /// most a quarter more than the interval, whichever instance's timer fires.
    static func tick(for interval: Duration) -> Duration {
        min(interval / 4, .seconds(60))
    }
}
