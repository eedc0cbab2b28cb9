import Foundation

/// Signing in through managed login from the sign-in screen.
public struct ExternalSignInActions: Sendable {
    public var web: @Sendable (_ provider: String) async -> AppEvent
    public var device: @Sendable () async -> AppEvent
    public var cancel: @Sendable () async -> AppEvent

    public init(
        web: @escaping @Sendable (String) async -> AppEvent = { _ in .signIn(.failed("Not available")) },
        device: @escaping @Sendable () async -> AppEvent = { .signIn(.failed("Not available")) },
        cancel: @escaping @Sendable () async -> AppEvent = { .effectDone }
    ) {
        self.web = web
        self.device = device
        self.cancel = cancel
    }
}
