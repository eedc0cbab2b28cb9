import Foundation
import HandsetCloudMySQL
import HandsetMySQL
import HandsetMySQLTesting
import Testing

/// The sent messages' table was once `handset_outbox`. A new database makes `handset_mailbox` directly (no DROP
/// privilege needed); one made before the rename has its table renamed, rows and all.
@Suite struct MySQLMailboxMigrationTests {
    @Test func aDatabaseFromBeforeTheRenameKeepsItsSentMessages() async throws {
        try await TestMariaDB.withDatabase("mailbox") { database in
            let pool = database.makePool()
            await (try await MySQLCloudStorage.open(database.configuration)).close()
            #expect(try await tables(like: "handset_mailbox", in: pool) == ["handset_mailbox"])
            #expect(try await tables(like: "handset_outbox", in: pool) == [])

            // As the database stood before the rename: the old table, with a message in it.
            try await pool.withConnection { connection in
                try connection.query("RENAME TABLE handset_mailbox TO handset_outbox")
                try connection.query(#"INSERT INTO handset_outbox (message) VALUES ('{"code":"123456"}')"#)
                try MySQLCloudMigrations.renameOldMailbox(connection)
            }
            #expect(try await tables(like: "handset_outbox", in: pool) == [])
            let kept = try await pool.execute("SELECT message FROM handset_mailbox").rows.map { $0[0] }
            #expect(kept == [.text(#"{"code":"123456"}"#)])
        }
    }

    private func tables(like name: String, in pool: MySQLPool) async throws -> [MySQLValue] {
        try await pool.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            [.text(name)]
        ).rows.map { $0[0] }
    }
}
