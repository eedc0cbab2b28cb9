import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Record storage (SQLite)")
struct RecordStorageTests {
    static func withRepository(_ body: (SQLiteRecordRepository) async throws -> Void) async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try CloudDatabase.open(in: try DataDirectory.prepare(at: root))
        try await body(SQLiteRecordRepository(database: database))
    }

    struct Refused: Error {}

    @Test("a batch commits once; a refused write is undone alone; every write takes the next sequence number")
    func writeEach() async throws {
        try await Self.withRepository { records in
            let date = Date(timeIntervalSince1970: 1_795_000_000)
            let outcomes = try await records.writeEach(
                collection: "notes", at: date, device: nil,
                [
                    RecordWriteItem(id: "a", decide: { _ in .save(owner: "u1", body: ["text": "one"]) }),
                    RecordWriteItem(id: "b", decide: { _ in throw Refused() }),
                    RecordWriteItem(
                        id: "a",
                        decide: { current in
                            .save(owner: current?.owner ?? "", body: ["text": "two"])
                        }),
                    RecordWriteItem(id: "c", decide: { _ in .save(owner: "u2", body: ["text": "three"]) }),
                    RecordWriteItem(id: "c", decide: { _ in .delete }),
                    RecordWriteItem(id: "d", decide: { _ in .keep }),
                ])
            #expect(outcomes.count == 6)
            guard case .refused(let error) = outcomes[1] else { Issue.record("b was not refused"); return }
            #expect(error is Refused)
            let a = try #require(try await records.record(collection: "notes", id: "a"))
            #expect(a.version == 2 && a.body == ["text": "two"] && a.owner == "u1")
            #expect(try await records.record(collection: "notes", id: "b") == nil)
            let c = try #require(try await records.record(collection: "notes", id: "c"))
            #expect(c.deleted && c.version == 2 && c.bodyText == "{}")
            #expect(try await records.record(collection: "notes", id: "d") == nil)
            let feed = try await records.changes(collection: "notes", owner: nil, after: 0, limit: 10)
            #expect(feed.map(\.id) == ["a", "c"])
            #expect(feed.map(\.sequence) == [2, 4])
        }
    }

    @Test("lists use the partial indexes: a page never sorts the collection")
    func queryPlans() async throws {
        try await Self.withRepository { records in
            let layout = RecordCollectionLayout(
                collection: "tasks", sortKeys: [.field("title"), .updatedAt], ownerLists: true, sharedLists: true)
            try await records.prepare(for: [layout])
            for owner in ["u1", nil] as [String?] {
                for sort in [RecordSortKey.id, .field("title"), .updatedAt] {
                    for descending in [false, true] {
                        let query = RecordListQuery(
                            collection: "tasks", owner: owner, sort: sort, descending: descending,
                            after: RecordListPosition(value: "m", id: "x"), limit: 21)
                        let plan = try await records.queryPlan(query)
                        #expect(!plan.contains("TEMP B-TREE"), "\(owner ?? "all") \(sort) \(descending): \(plan)")
                        #expect(plan.contains("USING INDEX"), "\(plan)")
                    }
                }
            }
        }
    }
}
