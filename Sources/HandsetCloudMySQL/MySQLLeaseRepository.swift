import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Periodic runs in `handset_periodic`, by the database's clock (the one clock every instance shares, whatever their
/// own clocks say).
///
/// A claim is one upsert that takes the row's exclusive lock at once (creating the row on the first run) and moves
/// it on to this claim's run id only when the last run is at least an interval old; reading the row back in the same
/// transaction tells whether this claim won. Claims queue on the row lock, so of concurrent claims exactly one sees
/// an old enough run, and none of them deadlocks (an `INSERT IGNORE` followed by an `UPDATE` would: both take a
/// shared lock on the existing row, then both wait to upgrade it).
package struct MySQLLeaseRepository: LeaseRepository {
    let pool: MySQLPool

    package func claimRun(_ name: String, interval: Duration, holder: String) async throws -> Bool {
        let microseconds = interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        let runID = UUID().uuidString.lowercased()
        return try await pool.transaction { db in
            // `run_id` and `holder` are assigned before `last_run_at`, so their conditions still see the old time.
            try db.execute(
                """
                INSERT INTO handset_periodic (name, last_run_at, holder, run_id) VALUES (?, UTC_TIMESTAMP(6), ?, ?)
                ON DUPLICATE KEY UPDATE
                    run_id = IF(last_run_at <= UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND, VALUES(run_id), run_id),
                    holder = IF(run_id = VALUES(run_id), VALUES(holder), holder),
                    last_run_at = IF(run_id = VALUES(run_id), VALUES(last_run_at), last_run_at)
                """, [.text(name), .text(holder), .text(runID), .int(microseconds)])
            let current = try db.execute("SELECT run_id FROM handset_periodic WHERE name = ?", [.text(name)]).rows
                .first?.string(0)
            return current == runID
        }
    }
}
