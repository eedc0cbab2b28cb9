import Foundation

/// What handlers tell the request log about a request: which function served it and for whom.
final class RequestLogNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var _function: String?
    private var _sub: String?

    /// The function name, like `cognito.InitiateAuth` or `api.list`.
    var function: String? {
        get { lock.withLock { _function } }
        set { lock.withLock { _function = newValue } }
    }

    /// The caller's `sub`, once known.
    var sub: String? {
        get { lock.withLock { _sub } }
        set { lock.withLock { _sub = newValue } }
    }
}
