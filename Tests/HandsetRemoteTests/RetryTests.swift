import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetRemote

/// Answers from a script, one per request, and remembers what was asked.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    enum Step {
        case answer(Int, String, [String: String] = [:])
        case fail(TransportError.Kind)
    }

    private let lock = NSLock()
    private var steps: [Step]
    private(set) var requests: [HTTPRequest] = []

    init(_ steps: [Step]) { self.steps = steps }

    var sent: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let step: Step = lock.withLock {
            requests.append(request)
            return steps.isEmpty ? .answer(500, "{}") : steps.removeFirst()
        }
        switch step {
        case .answer(let status, let body, let headers):
            return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
        case .fail(let kind):
            throw TransportError(kind: kind, detail: "scripted \(kind)")
        }
    }
}

/// Records the waits instead of sleeping.
final class Sleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [TimeInterval] = []
    var all: [TimeInterval] { lock.withLock { values } }
    func add(_ value: TimeInterval) { lock.withLock { values.append(value) } }
}

@Suite struct RetryTests {
    static let configuration = ClientConfiguration(
        region: "us-east-1", userPoolId: "us-east-1_TEST", clientId: "client",
        cognitoEndpoint: URL(string: "http://fake.invalid/")!, apiEndpoint: URL(string: "http://fake.invalid/api")!)

    func client(_ transport: ScriptedTransport, sleeps: Sleeps, timeout: TimeInterval = 30) -> APIClient {
        let tokens = TokenSet(
            idToken: "id-token", accessToken: "access-token", refreshToken: "r", expiresAt: .distantFuture)
        let session = SessionManager(
            cognito: CognitoClient(configuration: Self.configuration, transport: transport), tokens: tokens,
            persist: { _ in })
        let retry = RetryPolicy(random: { 0.5 }, sleep: { sleeps.add($0) })
        return APIClient(
            configuration: Self.configuration, transport: transport, session: session, timeout: timeout, retry: retry)
    }

    static let emptyPage = #"{"items":[],"cursor":"c1","hasMore":false}"#

    @Test func idempotentReadsRetryTransientFailuresWithGrowingJitteredDelays() async throws {
        let transport = ScriptedTransport([.fail(.unreachable), .answer(503, "{}"), .answer(200, Self.emptyPage)])
        let sleeps = Sleeps()
        let page = try await client(transport, sleeps: sleeps).changes(collection: "tasks", since: nil)
        #expect(page.cursor == "c1")
        #expect(transport.sent.count == 3)
        // Full jitter with random() = 0.5: half of 0.25 s, then half of 0.5 s.
        #expect(sleeps.all == [0.125, 0.25])
    }

    @Test func retriesStopAfterTheLimitWithTheLastError() async {
        let transport = ScriptedTransport(
            [.answer(502, "<html>bad gateway</html>", ["Content-Type": "text/html"])]
                + Array(repeating: .answer(502, "<html></html>", ["Content-Type": "text/html"]), count: 5))
        let sleeps = Sleeps()
        await #expect(
            throws: RemoteError.http(status: 502, message: "The server answered 502 with a web page instead of JSON")
        ) {
            _ = try await client(transport, sleeps: sleeps).changes(collection: "tasks", since: nil)
        }
        #expect(transport.sent.count == 3)
    }

    @Test func retryAfterIsHonouredUpToTheCap() async throws {
        let transport = ScriptedTransport([.answer(429, "{}", ["Retry-After": "2"]), .answer(200, Self.emptyPage)])
        let sleeps = Sleeps()
        _ = try await client(transport, sleeps: sleeps).changes(collection: "tasks", since: nil)
        #expect(sleeps.all == [2])
        #expect(RetryPolicy().delay(afterAttempt: 1, retryAfter: "3600") == 4)
    }

    @Test func timeoutsAndDefinitiveAnswersAreNotRetried() async {
        let sleeps = Sleeps()
        let timedOut = ScriptedTransport([.fail(.timedOut), .answer(200, Self.emptyPage)])
        await #expect(throws: RemoteError.self) {
            _ = try await client(timedOut, sleeps: sleeps).changes(collection: "tasks", since: nil)
        }
        #expect(timedOut.sent.count == 1)
        let refused = ScriptedTransport([.answer(403, #"{"message":"Forbidden"}"#), .answer(200, Self.emptyPage)])
        await #expect(throws: RemoteError.http(status: 403, message: "Forbidden")) {
            _ = try await client(refused, sleeps: sleeps).changes(collection: "tasks", since: nil)
        }
        #expect(refused.sent.count == 1)
        #expect(sleeps.all.isEmpty)
    }

    @Test func aBatchPostRetriesOnlyBecauseItCarriesOneIdempotencyKey() async throws {
        let answer = #"{"results":[{"status":200}]}"#
        let transport = ScriptedTransport([.fail(.other), .answer(200, answer)])
        let sleeps = Sleeps()
        let request = BatchRequest(operations: [BatchOperation(op: .delete, id: "t1", ifMatch: 1)])
        _ = try await client(transport, sleeps: sleeps).batch(collection: "tasks", request)
        let keys = transport.sent.map { $0.headers[APIHeader.idempotencyKey] }
        #expect(keys.count == 2)
        #expect(keys[0] != nil && keys[0] == keys[1], "the retry repeats the same key, so the server answers it once")
        #expect(!RetryPolicy.isIdempotent(method: "POST", headers: [:]))
        #expect(RetryPolicy.isIdempotent(method: "POST", headers: ["idempotency-key": "k"]))
    }

    @Test func theTimeoutAndTheTokenKindAreTheClientsSettings() async throws {
        let transport = ScriptedTransport([.answer(200, Self.emptyPage)])
        let tokens = TokenSet(
            idToken: "id-token", accessToken: "access-token", refreshToken: "r", expiresAt: .distantFuture)
        let session = SessionManager(
            cognito: CognitoClient(configuration: Self.configuration, transport: transport), tokens: tokens,
            persist: { _ in })
        let client = APIClient(
            configuration: Self.configuration, transport: transport, session: session, timeout: 7,
            authorization: .access)
        _ = try await client.changes(collection: "tasks", since: nil)
        #expect(transport.sent.first?.timeout == 7)
        #expect(transport.sent.first?.headers["Authorization"] == "access-token")
    }
}
