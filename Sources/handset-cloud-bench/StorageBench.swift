import ArgumentParser
import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire

/// `handset-cloud-bench storage`: the record API's reads and writes through the SQLite backend (GRDB) in-process,
/// without HTTP, the authorizer or JSON request parsing: the ceiling the API's figures are compared with. Run it on a
/// copy of a stopped server's data directory, so that the collection's indexes and records are those the API served.
struct StorageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Page reads and batch creates through the SQLite record repository, without the server.")

    @Option(name: .customLong("data-dir"), help: "A copy of a stopped server's data directory.") var dataDirectory:
        String
    @Option(help: "The collection.") var collection = "tasks"
    @Option(help: "Whose records a page lists (the API's owner-only list).") var owner: String
    @Option(help: "Seconds of page reads.") var seconds: Double = 5
    @Option(help: "Concurrent readers.") var readers = 2
    @Option(help: "Records to create, 100 per batch.") var records = 20_000
    @Option(help: "Concurrent batch writers.") var writers = 4

    func run() async throws {
        let storage = try SQLiteCloudStorage.openExisting(directory: URL(fileURLWithPath: dataDirectory))
        let repository = storage.records
        let collection = self.collection, owner = self.owner, writers = self.writers, records = self.records
        let query = RecordListQuery(collection: collection, owner: owner, limit: 21)

        // Reads: the page the API's list serves, its rows turned into the response text as the API does.
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let pages = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<readers {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let rows = try await repository.list(query)
                        var text = ""
                        for row in rows.prefix(20) { text += row.record.jsonText }
                        precondition(!text.isEmpty, "no records of \(owner) in \(collection)")
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let readSeconds = Self.seconds(ContinuousClock.now - started)
        print(
            String(
                format: "storage page reads: %d in %.1f s with %d readers = %.0f pages/s", pages, readSeconds, readers,
                Double(pages) / readSeconds))

        // Writes: creates in batches of 100, each batch one writeEach (one transaction, a savepoint per item).
        let prefix = "storage-bench-\(UUID().uuidString.prefix(8).lowercased())-"
        let batches = (records + 99) / 100
        let writeStarted = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<writers {
                group.addTask {
                    for batch in stride(from: worker, to: batches, by: writers) {
                        let items = (batch * 100..<min(batch * 100 + 100, records)).map { index in
                            let body = Self.body(index)
                            return RecordWriteItem(id: prefix + String(index)) { current in
                                guard current == nil else { throw StorageBenchFailure.exists }
                                return .save(owner: owner, body: body)
                            }
                        }
                        _ = try await repository.writeEach(collection: collection, at: Date(), device: nil, items)
                    }
                }
            }
            try await group.waitForAll()
        }
        let writeSeconds = Self.seconds(ContinuousClock.now - writeStarted)
        print(
            String(
                format: "storage batch creates: %d in %.1f s with %d writers = %.0f records/s", records, writeSeconds,
                writers, Double(records) / writeSeconds))
        await storage.close()
    }

    /// The body `scripts/bench` seeds through the API.
    static func body(_ index: Int) -> [String: JSONValue] {
        let statuses = ["todo", "doing", "done"]
        let words = ["release", "notes", "inbox", "sync", "offline", "review", "deploy", "invoice", "design", "budget"]
        return [
            "title": .string("Bench task \(index) \(words[index % 10]) \(words[(index * 7) % 10])"),
            "status": .string(statuses[index % 3]), "priority": .number(Double(index % 5 + 1)),
            "due": .string(String(format: "2027-%02d-%02d", index % 12 + 1, index % 28 + 1)),
            "notes": .string("Seeded by scripts/bench to measure a 20-record page of a large collection."),
        ]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

enum StorageBenchFailure: Error {
    case exists
}
