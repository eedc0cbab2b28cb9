import Hummingbird

/// The request context of every route: the authorizer's identity plus notes for the request log.
public struct CloudRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once `CognitoAuthorizerMiddleware` has verified an ID token.
    public var identity: Identity?
    /// Shared by every copy of this context, so that what handlers note reaches the log middleware.
    let requestLog: RequestLogNotes

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.requestLog = RequestLogNotes()
    }
}
