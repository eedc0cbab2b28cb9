import NIOCore
import NIOHTTP1

/// One answer read off a connection: its head and its whole body in one buffer.
struct CollectedResponse: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
}

/// Why an exchange on a connection ended without an answer.
enum ExchangeFailure: Error, Sendable {
    /// The connection closed (or was reset) before the answer ended; `receivedHead` says whether any of it came.
    case connectionClosed(receivedHead: Bool)
    /// The request could not be written whole: the server cannot have acted on it.
    case writeFailed(String)
    /// What came back is not HTTP/1.1 as the parser reads it (or its headers are over the parser's limit).
    case malformed(String)
    /// No byte arrived for the request's timeout.
    case timedOut
    case cancelled
}

/// The last handler of a client connection's pipeline (after NIO's HTTP/1 codec): sends one request at a time and
/// collects its answer into one buffer. Touched only on the connection's event loop.
///
/// The timeout is an idle timeout, as URLSession's is: it runs from the request and from each read, so a large page
/// that keeps arriving is never cut off, and a server that stops answering is.
final class NIOHTTPResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        /// Between exchanges, in the pool.
        case idle
        case waiting(EventLoopPromise<CollectedResponse>)
        case receiving(EventLoopPromise<CollectedResponse>, HTTPResponseHead, ByteBuffer)
        /// The connection is closed or must not carry another request.
        case dead
    }

    private var state = State.idle
    private var context: ChannelHandlerContext?
    private var timeout = TimeAmount.seconds(30)
    private var lastActivity = NIODeadline.now()
    private var timer: Scheduled<Void>?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes the request and answers through `promise`.
    func begin(
        head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount, promise: EventLoopPromise<CollectedResponse>
    ) {
        guard let context, case .idle = state else {
            // Closed while it waited in the pool, or cancelled before the request began: nothing was written.
            promise.fail(ExchangeFailure.writeFailed("the connection had closed"))
            return
        }
        state = .waiting(promise)
        self.timeout = timeout
        lastActivity = .now()
        armTimer(context: context, at: lastActivity + timeout)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] error in
            self?.fail(.writeFailed(String(describing: error)))
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    /// Ends the exchange in progress (the task waiting for it was cancelled) and the connection with it.
    func cancel() { fail(.cancelled) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .waiting(let promise) = state else { return fail(.malformed("an answer out of turn")) }
            var body = context.channel.allocator.buffer(capacity: 0)
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > 0 {
                // One allocation for the whole page when the server says its size (bounded: a lying header must
                // not reserve gigabytes before a byte has come).
                body.reserveCapacity(min(length, 64 << 20))
            }
            state = .receiving(promise, head, body)
        case .body(var chunk):
            guard case .receiving(let promise, let head, var body) = state else {
                return fail(.malformed("an answer out of turn"))
            }
            state = .dead  // the state's reference dropped, so appending does not copy the buffer
            body.writeBuffer(&chunk)
            state = .receiving(promise, head, body)
        case .end:
            guard case .receiving(let promise, let head, let body) = state else {
                return fail(.malformed("an answer out of turn"))
            }
            state = head.isKeepAlive ? .idle : .dead
            timer?.cancel()
            timer = nil
            promise.succeed(CollectedResponse(head: head, body: body))
            if case .dead = state { context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case HTTPParserError.invalidEOFState:
            // The connection ended inside an answer: lost, as a reset is, not malformed.
            fail(.connectionClosed(receivedHead: hasHead))
        case HTTPParserError.headerOverflow:
            fail(.malformed("its headers are over \(NIOHTTPDecoderLimitConfiguration().maxHeaderListSize / 1024) KB"))
        case let parserError as HTTPParserError:
            fail(.malformed("not HTTP/1.1 (\(parserError))"))
        default:
            fail(.connectionClosed(receivedHead: hasHead))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed(receivedHead: hasHead))
        context.fireChannelInactive()
    }

    private var hasHead: Bool {
        if case .receiving = state { return true }
        return false
    }

    /// Fails the exchange in progress, if any, and closes the connection: after a failure its state is unknown.
    private func fail(_ failure: ExchangeFailure) {
        let previous = state
        state = .dead
        timer?.cancel()
        timer = nil
        switch previous {
        case .waiting(let promise), .receiving(let promise, _, _): promise.fail(failure)
        case .idle, .dead: break
        }
        context?.close(promise: nil)
    }

    private func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        guard let context else { return }
        switch state {
        case .waiting, .receiving:
            let due = lastActivity + timeout
            if due <= .now() { fail(.timedOut) } else { armTimer(context: context, at: due) }
        case .idle, .dead:
            timer = nil
        }
    }
}
