import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A real TCP server on 127.0.0.1 that answers each HTTP/1.1 request with the bytes a test's script gives, or
/// misbehaves as the script says: hangs up, stays silent, sends half an answer. It reads requests itself (request
/// line, headers, a `Content-Length` body), so what the client sent is checked byte for byte.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        /// The request line and headers as sent, without the blank line.
        var head: String
        var body: String
        /// 1 for the first connection the server accepted.
        var connection: Int
        /// 1 for the first request on its connection.
        var indexOnConnection: Int

        var requestLine: String { head.components(separatedBy: "\r\n")[0] }

        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    enum Reply: Sendable {
        /// These bytes; then the connection stays open, or is closed.
        case bytes(String, close: Bool)
        /// Hang up without a byte of answer.
        case hangUp
        /// Say nothing, keep the connection open.
        case silence

        /// A complete answer with a Content-Length.
        static func answer(
            _ status: Int = 200, _ body: String = "", headers: [String: String] = [:], close: Bool = false
        ) -> Reply {
            var text = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.utf8.count)\r\n"
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
            return .bytes(text + "\r\n" + body, close: close)
        }
    }

    private let lock = NSLock()
    private var received: [Request] = []
    private var accepted = 0
    private var closedConnections = 0
    private let script: @Sendable (Request) -> Reply
    private var channel: (any Channel)!

    var port: Int { channel.localAddress!.port! }
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var requests: [Request] { lock.withLock { received } }
    var connections: Int { lock.withLock { accepted } }
    /// Connections the client (or the server) has closed.
    var closed: Int { lock.withLock { closedConnections } }

    init(_ script: @escaping @Sendable (Request) -> Reply) async throws {
        self.script = script
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                let number = lock.withLock {
                    accepted += 1
                    return accepted
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Connection(server: self, number: number))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// A port on 127.0.0.1 that refuses connections while `body` runs: bound (so no other test's server can take
    /// it) but not listening.
    static func withRefusingPort(_ body: (Int) async throws -> Void) async throws {
        #if canImport(Glibc)
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        precondition(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        precondition(bound)
        try await body(Int(UInt16(bigEndian: address.sin_port)))
    }

    func stop() async {
        try? await channel.close()
    }

    /// Waits (up to 10 s) until `condition` holds.
    func wait(until condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while !condition() {
            guard Date() < deadline else { throw CancellationError() }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    fileprivate func handle(_ request: Request) -> Reply {
        lock.withLock { received.append(request) }
        return script(request)
    }

    fileprivate func connectionClosed() { lock.withLock { closedConnections += 1 } }

    /// Reads requests off one accepted connection and writes the script's replies.
    private final class Connection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let server: ScriptedHTTPServer
        let number: Int
        var pending = ""
        var count = 0

        init(server: ScriptedHTTPServer, number: Int) {
            self.server = server
            self.number = number
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            while let end = pending.range(of: "\r\n\r\n") {
                let head = String(pending[..<end.lowerBound])
                let length =
                    head.split(separator: "\r\n").compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                        return Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }.first ?? 0
                let rest = pending[end.upperBound...]
                guard rest.utf8.count >= length else { return }
                let body = String(rest.utf8.prefix(length))!
                pending = String(rest.utf8.dropFirst(length))!
                count += 1
                let reply = server.handle(
                    Request(head: head, body: body, connection: number, indexOnConnection: count))
                switch reply {
                case .bytes(let text, let close):
                    let bytes = context.channel.allocator.buffer(string: text)
                    context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
                    if close { context.close(promise: nil) }
                case .hangUp:
                    context.close(promise: nil)
                case .silence:
                    break
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            server.connectionClosed()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
