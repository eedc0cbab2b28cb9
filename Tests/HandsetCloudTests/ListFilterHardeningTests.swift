import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// Issue 12, item 3: each distinct number of repeated filter values prepared (and cached forever on every reader
/// connection) a statement of its own.
@Suite("API: list filters cannot grow the statement cache")
struct ListFilterHardeningTests {
    @Test("the SQL text of a list does not depend on how many values a filter has, nor on their order")
    func constantStatementText() {
        func sql(_ filters: [RecordFilter]) -> String {
            SQLiteRecordRepository.listSQL(
                RecordListQuery(collection: "tasks", owner: "o", filters: filters, limit: 10), counting: false
            ).0
        }
        let priority = { (count: Int) in
            RecordFilter(field: .field("priority"), values: (0..<count).map { .number(Double($0)) })
        }
        let status = RecordFilter(field: .field("status"), values: ["todo", "doing"])
        #expect(sql([priority(2)]) == sql([priority(3)]))
        #expect(sql([priority(2)]) == sql([priority(100)]))
        #expect(sql([priority(5), status]) == sql([status, priority(7)]))
        #expect(sql([priority(1)]) != sql([priority(2)]), "one value keeps a plain comparison")
    }

    @Test("repeated filter values still select the right records, whatever their type", arguments: TestBackend.allCases)
    func values(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            func count(_ query: String) async throws -> Int? {
                try await cloud.send(.get, "/api/tasks?count=true&limit=1&\(query)", as: "alice").json()["count"]?
                    .intValue
            }
            let todo = try #require(try await count("status=todo"))
            let doing = try #require(try await count("status=doing"))
            #expect(try await count("status=todo&status=doing") == todo + doing)
            #expect(try await count("status=doing&status=todo&status=todo") == todo + doing)
            let one = try #require(try await count("priority=1"))
            let two = try #require(try await count("priority=2"))
            #expect(try await count("priority=1&priority=2&priority=99") == one + two)
        }
    }

    @Test("more than 100 filter values is a 400, not a new statement")
    func cap() async throws {
        try await withAPICloud { cloud in
            let many = (0..<101).map { "priority=\($0)" }.joined(separator: "&")
            let refused = try await cloud.send(.get, "/api/tasks?\(many)", as: "alice")
            #expect(refused.status == .badRequest, "\(refused.text)")
            let most = (0..<100).map { "priority=\($0)" }.joined(separator: "&")
            #expect(try await cloud.send(.get, "/api/tasks?\(most)", as: "alice").status == .ok)
        }
    }

    @Test("record bodies nested deeper than 32 levels are refused with 400")
    func deepBody() async throws {
        try await withAPICloud { cloud in
            let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
            let response = try await cloud.send(
                .post, "/api/tasks", as: "alice", body: #"{"title":"Deep","status":"todo","notes":\#(deep)}"#)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.text.contains("deeper than 32"))
        }
    }
}
