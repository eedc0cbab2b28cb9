import Foundation
import GRDB

extension CloudDatabase {
    /// `GET /readyz` on SQLite: the file answers a read, and every migration this build knows has run (another
    /// process on the same file, or an older build, could have left it behind).
    var readiness: ReadinessCheck {
        let writer = writer
        return ReadinessCheck {
            let migrated = try await writer.read { db in try Self.migrator.hasCompletedMigrations(db) }
            guard migrated else { throw ReadinessFailure("the database's migrations have not all run") }
        }
    }
}
