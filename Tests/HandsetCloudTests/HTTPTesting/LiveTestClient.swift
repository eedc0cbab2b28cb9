import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// Speaks HTTP/1.1 to a server on this machine: a connection per request (`Connection: close`), the whole response
/// read before it returns. Redirects are returned, not followed.
struct LiveTestClient: TestClientProtocol {
    let port: Int?

    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port ?? 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: uri)
        for field in headers { head.headers.add(name: field.name.rawName, value: field.value) }
        if !head.headers.contains(name: "Host") { head.headers.add(name: "Host", value: "localhost") }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        if let body { head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let request = head
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(request))
            if let body { try await outbound.write(.body(.byteBuffer(body))) }
            try await outbound.write(.end(nil))
            var response: HTTPResponseHead?
            var collected = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    response = received
                case .body(var chunk):
                    collected.writeBuffer(&chunk)
                case .end:
                    guard let response else { throw LiveTestError.responseWithoutHead }
                    return TestResponse(head: HTTPResponse(nio: response), body: collected)
                }
            }
            throw LiveTestError.connectionClosedEarly
        }
    }
}

extension HTTPResponse {
    fileprivate init(nio head: HTTPResponseHead) {
        var fields = HTTPFields()
        for (name, value) in head.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        self.init(status: HTTPResponse.Status(code: Int(head.status.code)), headerFields: fields)
    }
}
