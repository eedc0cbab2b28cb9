import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote

/// The app's effects done for real: Cognito and the API over HTTP, the signed-in user's cache, the sync engine.
/// One extension per feature (sign-in, accounts, records, inbox); `AppEnvironment.live` wires them in.
struct LiveEffects: Sendable {
    let api: APIClient
    let cognito: CognitoClient
    let session: SessionManager
    /// Whose data effects work on.
    let scope: UserScope
    let flow: SignInFlow
    /// The pool's managed login, when the app client has one (sign-in in a browser or on another device).
    let hostedUI: HostedUIClient?
    let now: @Sendable () -> Date
    /// Where long effects report progress.
    let relay: EventRelay
    /// The profile's remembered devices (sign-ins on them skip the code).
    var devices: (any RememberedDeviceStore)? = nil
    /// The sign-in in progress, between the person's answers.
    let conversations = ConversationHolder()
    /// The sign-in in a browser or on another device under way, to stop it (Esc).
    let external = ExternalSignInHolder()

    /// Runs `body` on the signed-in user's data; nobody signed in is an expired session.
    func withUser(_ body: (UserServices) async -> AppEvent) async -> AppEvent {
        guard let data = scope.current else { return .account(.sessionExpired) }
        return await body(data)
    }

    /// The event for a failed call made for `data`'s user; nothing once another user's data is current (their
    /// session is not the one that failed).
    func failure(_ error: any Error, for data: UserServices) -> AppEvent {
        guard scope.isCurrent(data) else { return .effectDone }
        let remote = (error as? RemoteError) ?? .badResponse(String(describing: error))
        switch remote {
        case .sessionExpired: return .account(.sessionExpired)
        case .offline(let detail): return .sync(.failed(message: detail, offline: true))
        default: return .sync(.failed(message: remote.message, offline: false))
        }
    }
}

/// The sign-in in progress, between the person's answers.
actor ConversationHolder {
    private(set) var current: SignInConversation?

    func set(_ conversation: SignInConversation?) {
        current = conversation
    }
}

/// How to stop the sign-in in the browser or on another device that is under way (Esc).
actor ExternalSignInHolder {
    private var stop: (@Sendable () -> Void)?

    func set(_ stop: @escaping @Sendable () -> Void) {
        self.stop = stop
    }

    func cancel() {
        stop?()
        stop = nil
    }
}
