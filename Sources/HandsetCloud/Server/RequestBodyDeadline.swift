import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body trickles in: after `grace`, the body must have arrived at
/// `minimumBytesPerSecond` on average since its head. Hummingbird's idle timeout covers silence; this covers a
/// client that sends one byte just often enough never to be idle.
final class RequestBodyDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let grace: TimeAmount
    private let minimumBytesPerSecond: Int
    private var headArrived: NIODeadline?
    private var received = 0
    private var check: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        self.grace = TimeAmount(limits.bodyGrace)
        self.minimumBytesPerSecond = max(1, limits.minimumBodyBytesPerSecond)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headArrived = .now()
            received = 0
            schedule(context)
        case .body(let buffer):
            received += buffer.readableBytes
        case .end:
            headArrived = nil
            check?.cancel()
            check = nil
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    /// When the body received so far stops being enough: `grace` plus the time its bytes buy at the minimum rate.
    private func deadline(from start: NIODeadline) -> NIODeadline {
        let bought = TimeAmount.nanoseconds(
            Int64(min(received, Int(Int32.max))) * 1_000_000_000 / Int64(minimumBytesPerSecond))
        return start + grace + bought
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard let start = headArrived else { return }
        check?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: deadline(from: start)) {
            let (handler, context) = loopBound.value
            handler.check = nil
            guard let start = handler.headArrived else { return }
            if NIODeadline.now() >= handler.deadline(from: start) {
                context.close(promise: nil)
            } else {
                handler.schedule(context)
            }
        }
    }
}
