import Foundation
import HandsetCloudMySQL
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@testable import HandsetCloud

/// The storage backends a test cloud can run on: the table-driven API scenarios run on each.
enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case mysql

    var description: String { rawValue }

    /// Runs `body` with fresh storage of this backend: SQLite in `directory`, or a database of its own on the test
    /// MariaDB server (dropped afterwards).
    func withStorage<Value>(directory: URL, _ body: (CloudStorage) async throws -> Value) async throws -> Value {
        switch self {
        case .sqlite:
            let storage = try SQLiteCloudStorage.open(directory: directory)
            do {
                let value = try await body(storage)
                await storage.close()
                return value
            } catch {
                await storage.close()
                throw error
            }
        case .mysql:
            return try await TestMariaDB.withDatabase("cloud") { database in
                let storage = try await MySQLCloudStorage.open(
                    database.configuration,
                    options: MySQLPoolOptions(maximumConnections: 6, leaseTimeout: .seconds(120)))
                do {
                    let value = try await body(storage)
                    await storage.close()
                    return value
                } catch {
                    await storage.close()
                    throw error
                }
            }
        }
    }
}
