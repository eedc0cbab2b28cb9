import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import Testing

@testable import HandsetCloud

/// The storage backends a test cloud can run on: the table-driven API scenarios run on each.
enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite

    var description: String { rawValue }

    /// Runs `body` with fresh storage of this backend: SQLite in `directory`.
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
        }
    }
}
