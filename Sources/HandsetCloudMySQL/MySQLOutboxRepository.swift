import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// The outbox in `handset_outbox`, one JSON message per row, in the order they were sent.
package struct MySQLOutboxRepository: OutboxRepository {
    let pool: MySQLPool

    package func append(_ message: OutboxMessage) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(message), as: UTF8.self)
        try await pool.write("INSERT INTO handset_outbox (message) VALUES (?)", [.text(text)])
    }

    package func messages() async throws -> [OutboxMessage] {
        let decoder = JSONDecoder()
        return try await pool.withConnection { db in
            try db.execute("SELECT message FROM handset_outbox ORDER BY message_key").rows.compactMap { row in
                try? decoder.decode(OutboxMessage.self, from: Data(try row.string(0).utf8))
            }
        }
    }
}
