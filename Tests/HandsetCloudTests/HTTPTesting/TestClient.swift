import HTTPTypes
import NIOCore

/// How `ApplicationProtocol.test` reaches the application: `.router` hands each request to the application's
/// responder in this process (no socket, no HTTP parsing); `.live` starts the real server on a free loopback port
/// and speaks HTTP/1.1 to it.
///
/// The cloud's tests need no more than this, so they carry it themselves rather than depend on Hummingbird's test
/// kit, whose live client (AsyncHTTPClient, with its own TLS stack and HTTP/2) was most of what the test build
/// compiled beside the project.
enum TestingSetup: Sendable {
    case router
    case live
}

/// A response as a test sees it: the head, and the whole body.
struct TestResponse: Sendable {
    let head: HTTPResponse
    let body: ByteBuffer

    var status: HTTPResponse.Status { head.status }
    var headers: HTTPFields { head.headerFields }
}

/// Sends one request and returns the whole response.
protocol TestClientProtocol: Sendable {
    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse

    /// The server's port in `.live`; nil in `.router`.
    var port: Int? { get }
}

extension TestClientProtocol {
    func execute(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: method, headers: headers, body: body)
    }
}
