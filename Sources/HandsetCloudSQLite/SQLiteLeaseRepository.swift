import Foundation
import GRDB
import HandsetCloudStorage

/// Periodic runs in the `periodic_runs` table, by this machine's clock (every process on one SQLite file shares it).
package struct SQLiteLeaseRepository: LeaseRepository {
    package let database: CloudDatabase
    package let now: @Sendable () -> Date

    package init(database: CloudDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    package func claimRun(_ name: String, interval: Duration, holder: String) async throws -> Bool {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let now = self.now
        return try await database.writer.write { db in
            // Read under the write lock: a time taken before it could be older than a run that won meanwhile.
            let time = now().timeIntervalSince1970
            let last = try Double.fetchOne(
                db, sql: "SELECT last_run_at FROM periodic_runs WHERE name = ?", arguments: [name])
            if let last, time - last < seconds, time >= last { return false }
            try db.execute(
                sql: """
                    INSERT INTO periodic_runs (name, last_run_at, holder) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at, holder = excluded.holder
                    """,
                arguments: [name, time, holder])
            return true
        }
    }
}
