import Foundation
import Testing

@testable import HandsetRemote

/// The app's transport picks by scheme: http:// over NIO, https:// over URLSession (libcurl's TLS).
@Suite struct LiveHTTPTransportTests {
    @Test func plainHTTPGoesThroughNIO() async throws {
        let server = try await ScriptedHTTPServer { _ in .answer(200, "{}") }
        defer { Task { await server.stop() } }
        _ = try await LiveHTTPTransport().send(HTTPRequest(method: "GET", url: server.url.appendingPathComponent("x")))
        // NIOHTTPTransport names itself; libcurl would have said "curl/…" or nothing.
        #expect(server.requests.first?.header("User-Agent") == "handset")
    }

    @Test func httpsGoesThroughURLSession() async throws {
        // A port nothing listens on: URLSession reports it unreachable, where NIOHTTPTransport would have refused
        // the scheme without trying.
        try await ScriptedHTTPServer.withRefusingPort { port in
            let url = URL(string: "https://127.0.0.1:\(port)/x")!
            await #expect(throws: TransportError(kind: .unreachable, detail: "cannot reach 127.0.0.1")) {
                try await LiveHTTPTransport().send(HTTPRequest(method: "GET", url: url, timeout: 10))
            }
        }
    }
}
