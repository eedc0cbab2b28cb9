import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Periodic runs in `handset_periodic`, by the database's clock (the one clock every instance shares, whatever their
/// own clocks say). The conditional UPDATE under the row's lock lets exactly one claimer win each interval.
package struct MySQLLeaseRepository: LeaseRepository {
    let pool: MySQLPool

    package func claimRun(_ name: String, interval: Duration, holder: String) async throws -> Bool {
        let microseconds = interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        return try await pool.transaction { db in
            // The first run of a name: whoever inserts the row runs it.
            let inserted = try db.execute(
                "INSERT IGNORE INTO handset_periodic (name, last_run_at, holder) VALUES (?, UTC_TIMESTAMP(6), ?)",
                [.text(name), .text(holder)]
            ).affectedRows
            if inserted == 1 { return true }
            return try db.execute(
                """
                UPDATE handset_periodic SET last_run_at = UTC_TIMESTAMP(6), holder = ?
                WHERE name = ? AND last_run_at <= UTC_TIMESTAMP(6) - INTERVAL ? MICROSECOND
                """, [.text(holder), .text(name), .int(microseconds)]
            ).affectedRows == 1
        }
    }
}
