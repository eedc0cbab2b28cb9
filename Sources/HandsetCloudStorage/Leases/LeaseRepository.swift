import Foundation

/// Periodic work done once per interval across every instance on one database (purges, the lifecycle rule).
package protocol LeaseRepository: Sendable {
    /// Claims the run of `name` due now: true (and the run is this caller's) when the last run of `name` started at
    /// least `interval` ago by the database's clock, or never ran. Of concurrent claims, exactly one wins.
    func claimRun(_ name: String, interval: Duration, holder: String) async throws -> Bool
}
