import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// The mailbox in `handset_mailbox`, one JSON message per row, in the order they were sent.
package struct MySQLMailboxRepository: MailboxRepository {
    let pool: MySQLPool

    package func append(_ message: SentMessage) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(message), as: UTF8.self)
        try await pool.write("INSERT INTO handset_mailbox (message) VALUES (?)", [.text(text)])
    }

    package func messages() async throws -> [SentMessage] {
        let decoder = JSONDecoder()
        return try await pool.withConnection { db in
            try db.execute("SELECT message FROM handset_mailbox ORDER BY message_key").rows.compactMap { row in
                try? decoder.decode(SentMessage.self, from: Data(try row.string(0).utf8))
            }
        }
    }
}
