import Hummingbird
import NIOCore

/// The request context of every route: the authorizer's identity plus notes for the request log.
public struct CloudRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once `CognitoAuthorizerMiddleware` has verified an ID token.
    public var identity: Identity?
    /// Shared by every copy of this context, so that what handlers note reaches the log middleware.
    let requestLog: RequestLogNotes
    /// The peer's address (nil in router tests, which have no connection).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.requestLog = RequestLogNotes()
        self.remoteAddress = source.channel.remoteAddress
    }
}
