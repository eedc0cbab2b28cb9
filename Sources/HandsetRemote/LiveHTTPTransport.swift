import Foundation

/// The transport the app uses: `http://` through `NIOHTTPTransport`, everything else (`https://` to AWS) through
/// `URLSessionTransport`, whose libcurl does TLS with the system's trust store. A TLS client on NIO would compile a
/// second BoringSSL into the build (NIOSSL's, beside swift-crypto's).
public final class LiveHTTPTransport: HTTPTransport {
    private let plain: NIOHTTPTransport
    private let tls: URLSessionTransport

    public init() {
        plain = NIOHTTPTransport()
        tls = URLSessionTransport()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.scheme?.lowercased() == "http" { return try await plain.send(request) }
        return try await tls.send(request)
    }
}
