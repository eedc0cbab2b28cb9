import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("API: body limit, throttling, request logs")
struct APILimitsTests {
    @Test("bodies over the limit get 413 and write nothing")
    func bodyLimit() async throws {
        try await withAPICloud(api: APIConfiguration(bodyLimit: 200)) { cloud in
            let big = #"{"title":"Big","status":"todo","notes":"\#(String(repeating: "x", count: 300))"}"#
            for (method, path, headers) in [
                (HTTPMethodName.post, "/api/tasks", [String: String]()),
                (.put, "/api/tasks/big-1", ["If-None-Match": "*"]),
                (.patch, "/api/tasks/task-0001", ["If-Match": "\"1\""]),
                (.post, "/api/tasks/_batch", [:]),
            ] {
                let response = try await cloud.send(method.method, path, as: "alice", headers: headers, body: big)
                #expect(response.status == .contentTooLarge, "\(path)")
                #expect(response.text == #"{"message":"Request Too Long"}"#)
            }
            #expect(try await cloud.send(.get, "/api/tasks?q=big", as: "alice").json()["items"] == [])
            let small = try await cloud.send(
                .post, "/api/tasks", as: "alice", body: #"{"title":"Small","status":"todo"}"#)
            #expect(small.status == .created)
        }
    }

    @Test("past the burst, requests get API Gateway's 429 until the bucket refills")
    func throttling() async throws {
        try await withAPICloud(api: APIConfiguration(throttle: ThrottleConfiguration(rate: 0.001, burst: 3))) { cloud in
            // Signing in is Cognito's, not the API's: it is not throttled here. Three API calls pass, then 429.
            var statuses: [Int] = []
            for _ in 0..<5 {
                statuses.append(Int(try await cloud.send(.get, "/api/tasks", as: "alice").status.code))
            }
            #expect(statuses == [200, 200, 200, 429, 429])
            let refused = try await cloud.send(.get, "/api/openapi.json", as: nil)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.text == #"{"message":"Too Many Requests"}"#)
        }
    }

    @Test("the token bucket refills at its rate up to its burst")
    func tokenBucket() {
        let clock = ManualInstant()
        let bucket = TokenBucket(ThrottleConfiguration(rate: 10, burst: 2), now: { clock.now })
        #expect(bucket.take() && bucket.take())
        #expect(!bucket.take())
        clock.advance(.milliseconds(100))
        #expect(bucket.take())
        #expect(!bucket.take())
        clock.advance(.seconds(60))
        #expect(bucket.take() && bucket.take())
        #expect(!bucket.take(), "never more than the burst")
    }

    @Test("each API function names itself in the request log, with the caller's sub and the request id")
    func requestLogFunctions() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sub = try await withAPICloud(directory: directory) { cloud in
            try await cloud.send(.get, "/api/openapi.json", as: nil)
            try await cloud.send(.get, "/api/tasks", as: "alice")
            try await cloud.send(.get, "/api/tasks/task-0001", as: "alice")
            try await cloud.send(.post, "/api/tasks", as: "alice", body: #"{"title":"t","status":"todo"}"#)
            try await cloud.send(
                .put, "/api/tasks/c-1", as: "alice", headers: ["If-None-Match": "*"],
                body: #"{"title":"t","status":"todo"}"#)
            try await cloud.send(
                .put, "/api/tasks/c-1", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"title":"u","status":"todo"}"#)
            try await cloud.send(.patch, "/api/tasks/c-1", as: "alice", headers: ["If-Match": "\"2\""], body: "{}")
            try await cloud.send(.delete, "/api/tasks/c-1", as: "alice", headers: ["If-Match": "\"3\""])
            try await cloud.send(.get, "/api/tasks/_changes", as: "alice")
            try await cloud.send(.post, "/api/tasks/_batch", as: "alice", body: #"{"operations":[]}"#)
            try await cloud.send(.put, "/api/tasks", as: "alice", body: "{}")
            try await cloud.send(.get, "/api/nothing", as: "alice")
            return cloud.subs["alice"]!
        }
        let lines = try String(contentsOf: DataDirectory(root: directory).requestLog, encoding: .utf8)
            .split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
            .filter { $0["route"]?.stringValue?.hasPrefix("/api") == true }
        #expect(
            lines.compactMap { $0["function"]?.stringValue } == [
                "api.openapi", "api.list", "api.get", "api.create", "api.createWithId", "api.replace", "api.patch",
                "api.delete", "api.changes", "api.batch", "api.methodNotAllowed", "api.notFound",
            ])
        #expect(lines.dropFirst().allSatisfy { $0["sub"]?.stringValue == sub })
        #expect(
            lines.map { $0["status"]?.intValue ?? 0 } == [200, 200, 200, 201, 201, 200, 200, 204, 200, 200, 405, 404])
    }
}

/// A hand-moved `ContinuousClock` instant for the token bucket.
final class ManualInstant: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ContinuousClock.now
    var now: ContinuousClock.Instant { lock.withLock { current } }
    func advance(_ duration: Duration) { lock.withLock { current += duration } }
}

/// HTTP methods by name, so that a table can list them.
enum HTTPMethodName {
    case get, post, put, patch, delete
    var method: HTTPRequest.Method {
        switch self {
        case .get: .get
        case .post: .post
        case .put: .put
        case .patch: .patch
        case .delete: .delete
        }
    }
}
