import Foundation
import HandsetCloudMySQL
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetMySQL
import HandsetMySQLTesting
import Testing

/// The backends every contract test runs against.
enum StorageBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case mysql

    var description: String { rawValue }

    /// Runs `body` with fresh, empty storage of this backend.
    func withStorage<Value>(_ body: (CloudStorage) async throws -> Value) async throws -> Value {
        try await withInstances(1) { try await body($0[0]) }
    }

    /// Runs `body` with `count` independent handles on one fresh storage, as `count` instances of the cloud would
    /// hold: each its own SQLite connection pool on one file, or its own MySQL connection pool on one database.
    func withInstances<Value>(_ count: Int, _ body: ([CloudStorage]) async throws -> Value) async throws -> Value {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "handset-contract-\(UUID().uuidString)", isDirectory: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let instances = try (0..<count).map { _ in try SQLiteCloudStorage.open(directory: directory) }
            return try await run(instances, body)
        case .mysql:
            return try await TestMariaDB.withDatabase("contract") { database in
                var instances: [CloudStorage] = []
                for _ in 0..<count {
                    instances.append(
                        try await MySQLCloudStorage.open(
                            database.configuration,
                            options: MySQLPoolOptions(maximumConnections: 6, leaseTimeout: .seconds(120))))
                }
                return try await run(instances, body)
            }
        }
    }

    private func run<Value>(
        _ instances: [CloudStorage], _ body: ([CloudStorage]) async throws -> Value
    ) async throws -> Value {
        do {
            let value = try await body(instances)
            for instance in instances { await instance.close() }
            return value
        } catch {
            for instance in instances { await instance.close() }
            throw error
        }
    }
}

/// A fixed point in time tests start from.
let testEpoch = Date(timeIntervalSince1970: 1_795_000_000)

/// A refusal a decision throws.
struct Refused: Error, Equatable {}

/// A thread-safe list, filled from concurrent tasks.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    func append(contentsOf more: [Element]) { lock.withLock { items += more } }
    var all: [Element] { lock.withLock { items } }
}
