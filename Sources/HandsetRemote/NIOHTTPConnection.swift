import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 connection: a NIO channel with the HTTP/1 codec and a `NIOHTTPResponseCollector`. It carries one
/// exchange at a time; between exchanges it waits in `NIOHTTPTransport`'s pool.
final class NIOHTTPConnection: Sendable {
    let channel: any Channel
    private let collector: NIOLoopBound<NIOHTTPResponseCollector>

    private init(channel: any Channel, collector: NIOLoopBound<NIOHTTPResponseCollector>) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to `host:port` within `timeout`.
    static func connect(
        host: String, port: Int, timeout: TimeAmount, group: any EventLoopGroup
    ) async throws -> NIOHTTPConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHTTPClientHandlers()
                    try operations.addHandler(NIOHTTPResponseCollector())
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        return try await channel.eventLoop.submit {
            let collector = try channel.pipeline.syncOperations.handler(type: NIOHTTPResponseCollector.self)
            return NIOHTTPConnection(
                channel: channel, collector: NIOLoopBound(collector, eventLoop: channel.eventLoop))
        }.get()
    }

    /// Whether the connection is still open (as far as its event loop has seen: a close the server sent while it
    /// was idle may not have been read yet, which `NIOHTTPTransport` allows for).
    var isOpen: Bool { channel.isActive }

    /// Sends one request and waits for its whole answer. Cancelling the waiting task closes the connection.
    func exchange(head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount) async throws -> CollectedResponse {
        let promise = channel.eventLoop.makePromise(of: CollectedResponse.self)
        return try await withTaskCancellationHandler {
            channel.eventLoop.execute {
                self.collector.value.begin(head: head, body: body, timeout: timeout, promise: promise)
            }
            return try await promise.futureResult.get()
        } onCancel: {
            channel.eventLoop.execute { self.collector.value.cancel() }
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}
