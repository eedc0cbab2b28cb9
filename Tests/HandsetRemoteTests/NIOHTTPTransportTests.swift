import Foundation
import Testing

@testable import HandsetRemote

/// `NIOHTTPTransport` against a real socket (`ScriptedHTTPServer`): what it sends, keep-alive, and every way a
/// server can fail it. The happy path over the real cloud is every end-to-end test (the app uses it for http://).
@Suite struct NIOHTTPTransportTests {
    static func get(
        _ server: ScriptedHTTPServer, _ path: String = "/api/tasks", timeout: TimeInterval = 10
    )
        -> HTTPRequest
    {
        HTTPRequest(method: "GET", url: server.url.appendingPathComponent(path), timeout: timeout)
    }

    static func kind(of body: () async throws -> HTTPResponse) async -> TransportError.Kind? {
        do {
            _ = try await body()
            return nil
        } catch let error as TransportError {
            return error.kind
        } catch {
            return nil
        }
    }

    @Test func sendsTheRequestAndReadsTheWholeAnswerOnOneKeptConnection() async throws {
        let server = try await ScriptedHTTPServer { request in
            .answer(
                200, "{\"echo\":\"\(request.body)\"}", headers: ["Content-Type": "application/json", "X-Seen": "1"])
        }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        var request = HTTPRequest(
            method: "POST", url: URL(string: "\(server.url)/api/tasks/_batch?since=a%2Fb&limit=2")!,
            headers: ["Authorization": "Bearer t", "Idempotency-Key": "k1"], body: Data("hello".utf8))
        let first = try await transport.send(request)
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self) == "{\"echo\":\"hello\"}")
        #expect(first.header("content-type") == "application/json")
        request.method = "GET"
        request.body = nil
        let second = try await transport.send(request)
        #expect(second.header("X-Seen") == "1")

        let sent = server.requests
        #expect(sent.count == 2)
        #expect(sent[0].requestLine == "POST /api/tasks/_batch?since=a%2Fb&limit=2 HTTP/1.1")
        #expect(sent[0].header("Host") == "127.0.0.1:\(server.port)")
        #expect(sent[0].header("Content-Length") == "5")
        #expect(sent[0].header("Authorization") == "Bearer t")
        #expect(sent[1].requestLine == "GET /api/tasks/_batch?since=a%2Fb&limit=2 HTTP/1.1")
        // The POST had an Idempotency-Key, so it may share: both went over one connection.
        #expect(server.connections == 1)
        #expect(sent[1].connection == 1 && sent[1].indexOnConnection == 2)
    }

    @Test func aChunkedAnswerIsCollectedWhole() async throws {
        let server = try await ScriptedHTTPServer { _ in
            .bytes(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                close: false)
        }
        defer { Task { await server.stop() } }
        let answer = try await NIOHTTPTransport().send(Self.get(server))
        #expect(String(decoding: answer.body, as: UTF8.self) == "hello world")
    }

    @Test func aLargeAnswerArrivingInManyReadsIsCollectedWhole() async throws {
        let page = (0..<40_000).map { "{\"id\":\"\($0)\"}" }.joined(separator: ",")
        let server = try await ScriptedHTTPServer { _ in .answer(200, "[\(page)]") }
        defer { Task { await server.stop() } }
        let answer = try await NIOHTTPTransport().send(Self.get(server))
        #expect(answer.body.count == page.utf8.count + 2)
        #expect(String(decoding: answer.body, as: UTF8.self) == "[\(page)]")
    }

    @Test func aPOSTWithoutAnIdempotencyKeyNeverTakesAPooledConnection() async throws {
        let server = try await ScriptedHTTPServer { _ in .answer(200, "{}") }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        _ = try await transport.send(Self.get(server))
        _ = try await transport.send(
            HTTPRequest(method: "POST", url: server.url.appendingPathComponent("inbox/read"), body: Data("{}".utf8)))
        #expect(server.requests.map(\.connection) == [1, 2])
        // ... and the connection it opened is kept for later reads.
        _ = try await transport.send(Self.get(server))
        #expect(server.connections == 2)
    }

    @Test func connectionCloseInTheAnswerIsHonoured() async throws {
        let server = try await ScriptedHTTPServer { _ in .answer(200, "{}", headers: ["Connection": "close"]) }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        _ = try await transport.send(Self.get(server))
        _ = try await transport.send(Self.get(server))
        #expect(server.requests.map(\.connection) == [1, 2])
    }

    @Test func redirectsAreNotFollowed() async throws {
        let server = try await ScriptedHTTPServer { _ in
            .answer(302, "", headers: ["Location": "http://127.0.0.1:1/elsewhere"])
        }
        defer { Task { await server.stop() } }
        let answer = try await NIOHTTPTransport().send(Self.get(server))
        #expect(answer.status == 302)
        #expect(answer.header("Location") == "http://127.0.0.1:1/elsewhere")
        #expect(server.requests.count == 1)
    }

    @Test func aRefusedConnectionIsUnreachable() async throws {
        try await ScriptedHTTPServer.withRefusingPort { port in
            let url = URL(string: "http://127.0.0.1:\(port)/x")!
            let kind = await Self.kind { try await NIOHTTPTransport().send(HTTPRequest(method: "GET", url: url)) }
            #expect(kind == .unreachable)
        }
    }

    @Test func aServerThatHangsUpMidBodyLosesTheConnection() async throws {
        let server = try await ScriptedHTTPServer { _ in
            .bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"items\":[", close: true)
        }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        let kind = await Self.kind { try await transport.send(Self.get(server)) }
        #expect(kind == .unreachable)
        // Part of an answer came: the request is not sent again, even though it is a GET.
        #expect(server.requests.count == 1)
    }

    @Test func anAnswerThatIsNotHTTPIsRefused() async throws {
        let server = try await ScriptedHTTPServer { _ in .bytes("SSH-2.0-OpenSSH_9.6\r\n\r\n", close: false) }
        defer { Task { await server.stop() } }
        do {
            _ = try await NIOHTTPTransport().send(Self.get(server))
            Issue.record("a non-HTTP answer was accepted")
        } catch let error as TransportError {
            #expect(error.kind == .other)
            #expect(error.detail.contains("not HTTP"))
        }
        #expect(server.requests.count == 1)
    }

    @Test func anAnswerWithHugeHeadersIsRefused() async throws {
        let server = try await ScriptedHTTPServer { _ in
            .answer(200, "{}", headers: ["X-Padding": String(repeating: "a", count: 200_000)])
        }
        defer { Task { await server.stop() } }
        do {
            _ = try await NIOHTTPTransport().send(Self.get(server))
            Issue.record("200 KB of headers were accepted")
        } catch let error as TransportError {
            #expect(error.kind == .other)
            #expect(error.detail.contains("headers are over"))
        }
    }

    @Test func aSilentServerTimesOutAndTheConnectionIsClosed() async throws {
        let server = try await ScriptedHTTPServer { _ in .silence }
        defer { Task { await server.stop() } }
        let kind = await Self.kind { try await NIOHTTPTransport().send(Self.get(server, timeout: 0.3)) }
        #expect(kind == .timedOut)
        try await server.wait { server.closed == 1 }
    }

    @Test func cancellingTheTaskEndsTheRequestAndItsConnection() async throws {
        let server = try await ScriptedHTTPServer { _ in .silence }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        let task = Task { try await transport.send(Self.get(server, timeout: 60)) }
        try await server.wait { server.requests.count == 1 }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        try await server.wait { server.closed == 1 }
    }

    @Test func aReadOnAConnectionTheServerClosedWhileIdleIsSentOnceMoreOnAFreshOne() async throws {
        // The second request on the first connection meets a server that has given up on it.
        let server = try await ScriptedHTTPServer { request in
            request.connection == 1 && request.indexOnConnection == 2
                ? .hangUp : .answer(200, "ok \(request.connection)")
        }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        _ = try await transport.send(Self.get(server))
        let answer = try await transport.send(Self.get(server))
        #expect(String(decoding: answer.body, as: UTF8.self) == "ok 2")
        #expect(server.requests.map(\.connection) == [1, 1, 2])
    }

    @Test func theResendHappensOnceOnly() async throws {
        let server = try await ScriptedHTTPServer { request in
            request.connection == 1 && request.indexOnConnection == 1 ? .answer(200, "first") : .hangUp
        }
        defer { Task { await server.stop() } }
        let transport = NIOHTTPTransport()
        _ = try await transport.send(Self.get(server))
        let kind = await Self.kind { try await transport.send(Self.get(server)) }
        #expect(kind == .unreachable)
        #expect(server.requests.count == 3)
    }

    @Test func aPOSTThatReachedTheServerIsNeverSentAgain() async throws {
        let server = try await ScriptedHTTPServer { _ in .hangUp }
        defer { Task { await server.stop() } }
        let kind = await Self.kind {
            try await NIOHTTPTransport().send(
                HTTPRequest(method: "POST", url: server.url.appendingPathComponent("x"), body: Data("{}".utf8)))
        }
        #expect(kind == .unreachable)
        #expect(server.requests.count == 1)
    }

    @Test func onlyPlainHTTPIsSent() async throws {
        let kind = await Self.kind {
            try await NIOHTTPTransport().send(HTTPRequest(method: "GET", url: URL(string: "https://127.0.0.1:1/")!))
        }
        #expect(kind == .other)
    }
}
