import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// The sync contract: change feed, batch, idempotency keys.
@Suite("API: change feed, batch and idempotency")
struct APISyncTests {
    @Test(
        "the change feed pages through records and tombstones in server order, with a cursor and hasMore",
        arguments: TestBackend.allCases)
    func changeFeed(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            func page(_ since: String?, limit: Int = 5, as user: String = "alice") async throws -> ChangeFeedPage {
                let query = since.map { "&since=\($0)" } ?? ""
                let response = try await cloud.send(.get, "/api/tasks/_changes?limit=\(limit)\(query)", as: user)
                #expect(response.status == .ok, "\(response.text)")
                return try response.decode(ChangeFeedPage.self)
            }
            var cursor: String?
            var ids: [String] = []
            var hasMore = true
            while hasMore {
                let next = try await page(cursor)
                ids += next.items.compactMap { $0["id"]?.stringValue }
                cursor = next.cursor
                hasMore = next.hasMore
            }
            #expect(ids == (1...12).map { String(format: "task-%04d", $0) })

            // Nothing new: an empty page that keeps the cursor.
            let idle = try await page(cursor)
            #expect(idle.items.isEmpty && !idle.hasMore && idle.cursor == cursor)

            // Writes come back in the order they happened; a delete is a tombstone; a record written twice appears
            // once, at its last write.
            try await cloud.send(
                .patch, "/api/tasks/task-0003", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"priority":1}"#)
            try await cloud.send(.delete, "/api/tasks/task-0001", as: "alice", headers: ["If-Match": "\"1\""])
            try await cloud.send(
                .patch, "/api/tasks/task-0003", as: "alice", headers: ["If-Match": "\"2\""],
                body: #"{"priority":2}"#)
            try await cloud.send(
                .patch, "/api/tasks/task-0013", as: "bob", headers: ["If-Match": "\"1\""],
                body: #"{"priority":2}"#)
            let changes = try await page(cursor, limit: 100)
            #expect(changes.items.compactMap { $0["id"]?.stringValue } == ["task-0001", "task-0003"])
            #expect(
                changes.items[0] == [
                    "id": "task-0001", "version": 2, "deleted": true, "owner": .string(cloud.subs["alice"]!),
                    "updatedAt": changes.items[0]["updatedAt"]!,
                ])
            #expect(changes.items[1]["version"] == 3)
            #expect(changes.items[1]["priority"] == 2)

            // bob's feed has his write only, and never alice's tombstone.
            let bobs = try await page(nil, limit: 100, as: "bob")
            #expect(
                bobs.items.compactMap { $0["id"]?.stringValue } == ["task-0014", "task-0015", "task-0016", "task-0013"])

            for query in ["since=nonsense", "since=c2VxOi0x", "limit=0", "limit=1001", "after=1"] {
                let response = try await cloud.send(.get, "/api/tasks/_changes?\(query)", as: "alice")
                #expect(response.status == .badRequest, "\(query)")
            }
        }
    }

    @Test(
        "a batch applies each operation on its own and answers each like the single request",
        arguments: TestBackend.allCases)
    func batch(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            let body = #"""
                {"operations":[
                  {"op":"create","body":{"title":"Server id","status":"todo"}},
                  {"op":"create","id":"offline-1","body":{"title":"Client id","status":"todo"}},
                  {"op":"create","id":"offline-1","body":{"title":"Client id","status":"todo"}},
                  {"op":"patch","id":"task-0001","ifMatch":1,"body":{"status":"done"}},
                  {"op":"patch","id":"task-0002","ifMatch":7,"body":{"status":"done"}},
                  {"op":"replace","id":"task-0004","ifMatch":1,"body":{"title":"","status":"todo"}},
                  {"op":"replace","id":"task-0004","body":{"title":"x","status":"todo"}},
                  {"op":"delete","id":"task-0005","ifMatch":1},
                  {"op":"delete","id":"task-0013","ifMatch":1},
                  {"op":"patch","body":{"status":"done"}},
                  {"op":"create","body":{"title":"Half","status":"nope"}}
                ]}
                """#
            let response = try await cloud.send(.post, "/api/tasks/_batch", as: "alice", body: body)
            #expect(response.status == .ok, "\(response.text)")
            let results = try response.decode(BatchResponse.self).results
            #expect(results.map(\.status) == [201, 201, 201, 200, 412, 400, 428, 204, 404, 400, 400])
            #expect(results[0].record?["title"] == "Server id")
            #expect(results[1].record?["id"] == "offline-1")
            #expect(results[2].record?["version"] == 1, "a retried create is idempotent")
            #expect(results[3].record?["version"] == 2)
            #expect(results[4].record?["version"] == 1, "412 carries the current record")
            #expect(results[5].error?.fields == ["title": "must not be empty"])
            #expect(results[7].record == nil)
            #expect(results[9].error?.fields == ["id": "is required"])

            // What failed wrote nothing; what succeeded is there.
            let page = try await cloud.send(.get, "/api/tasks?limit=500", as: "alice").decode(RecordPage.self)
            let titles = Set(page.items.compactMap { $0["title"]?.stringValue })
            #expect(titles.contains("Server id") && titles.contains("Client id") && !titles.contains("Half"))
            #expect(page.items.count == 12 + 2 - 1)
            let bobs = try await cloud.send(.get, "/api/tasks/task-0013", as: "bob")
            #expect(bobs.status == .ok)

            for bad in ["[]", #"{"operations":[{"op":"upsert"}]}"#, #"{"ops":[]}"#, "nope"] {
                let refused = try await cloud.send(.post, "/api/tasks/_batch", as: "alice", body: bad)
                #expect(refused.status == .badRequest, "\(bad)")
            }
            let tooMany =
                #"{"operations":["#
                + Array(repeating: #"{"op":"delete","id":"x","ifMatch":1}"#, count: 101)
                .joined(separator: ",") + "]}"
            #expect(try await cloud.send(.post, "/api/tasks/_batch", as: "alice", body: tooMany).status == .badRequest)
        }
    }

    @Test(
        "an Idempotency-Key replays the first answer, refuses another body, and is per user",
        arguments: TestBackend.allCases)
    func idempotencyKey(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            let key = ["Idempotency-Key": "create-milk-1"]
            let first = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: key, body: #"{"title":"Milk","status":"todo"}"#)
            #expect(first.status == .created)
            // A create says where the new record lives; the replay says the same.
            let id = try #require(try first.json()["id"]?.stringValue)
            #expect(first.headers[.location] == "/api/tasks/\(id)")
            let replay = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: key, body: #"{ "status": "todo", "title": "Milk" }"#)
            #expect(replay.status == .created)
            #expect(replay.text == first.text)
            #expect(replay.headers[.eTag] == "\"1\"")
            #expect(replay.headers[.location] == "/api/tasks/\(id)")
            let other = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: key, body: #"{"title":"Eggs","status":"todo"}"#)
            #expect(other.status == .unprocessableContent)
            #expect(other.text == #"{"message":"This Idempotency-Key was used with a different request"}"#)
            let bobs = try await cloud.send(
                .post, "/api/tasks", as: "bob", headers: key, body: #"{"title":"Milk","status":"todo"}"#)
            #expect(bobs.status == .created)
            #expect(try bobs.json()["id"] != first.json()["id"])
            let count = try await cloud.send(.get, "/api/tasks?q=milk&count=true", as: "alice").json()["count"]
            #expect(count == 1)
            let badKey = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": String(repeating: "k", count: 256)],
                body: #"{"title":"Milk","status":"todo"}"#)
            #expect(badKey.status == .badRequest)
            // A refused request stores nothing: the key stays free for the corrected body.
            let invalid = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": "k2"], body: #"{"title":"Milk"}"#)
            #expect(invalid.status == .badRequest)
            let corrected = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": "k2"],
                body: #"{"title":"Milk","status":"todo"}"#)
            #expect(corrected.status == .created)
        }
    }

    @Test("concurrent duplicates of a keyed POST and of a keyed batch run once", arguments: TestBackend.allCases)
    func concurrentDuplicates(backend: TestBackend) async throws {
        try await withAPICloud(backend: backend) { cloud in
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await cloud.send(
                            .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": "same"],
                            body: #"{"title":"Only once","status":"todo"}"#)
                        return "\(response.status.code) \(response.text)"
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(bodies).count == 1)
            #expect(bodies.first?.hasPrefix("201 ") == true)
            let batch = #"{"operations":[{"op":"create","body":{"title":"Batched once","status":"todo"}}]}"#
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await cloud.send(
                            .post, "/api/tasks/_batch", as: "alice", headers: ["Idempotency-Key": "batch-1"],
                            body: batch
                        ).text
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(answers).count == 1)
            let count = { (q: String) in
                try await cloud.send(.get, "/api/tasks?q=\(q)&count=true", as: "alice").json()["count"]
            }
            #expect(try await count("only%20once") == 1)
            #expect(try await count("batched%20once") == 1)
        }
    }

    @Test("idempotency keys and the sequence survive a restart")
    func survivesRestart() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let body = #"{"title":"Durable","status":"todo"}"#
        let (first, cursor) = try await withAPICloud(directory: directory) { cloud in
            let response = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": "durable"], body: body)
            let feed = try await cloud.send(.get, "/api/tasks/_changes?limit=1000", as: "alice")
                .decode(ChangeFeedPage.self)
            return (response.text, feed.cursor)
        }
        try await withAPICloud(demo: true, directory: directory) { cloud in
            let replay = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["Idempotency-Key": "durable"], body: body)
            #expect(replay.status == .created)
            #expect(replay.text == first)
            try await cloud.send(
                .patch, "/api/tasks/task-0002", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"priority":4}"#)
            let feed = try await cloud.send(.get, "/api/tasks/_changes?since=\(cursor)", as: "alice")
                .decode(ChangeFeedPage.self)
            #expect(feed.items.compactMap { $0["id"]?.stringValue } == ["task-0002"])
        }
    }
}
