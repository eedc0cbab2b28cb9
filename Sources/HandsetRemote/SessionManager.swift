import Foundation
import HandsetModel
import HandsetWire

/// Keeps the signed-in session's tokens fresh, with at most one refresh in flight.
///
/// Network errors during a refresh leave the session as it is (the person stays signed in and works offline);
/// only a refused refresh token ends it, as `RemoteError.sessionExpired`.
public actor SessionManager {
    private var tokens: TokenSet?
    private var refreshing: Task<TokenSet, any Error>?
    private let cognito: CognitoClient
    private let now: @Sendable () -> Date
    private let persist: @Sendable (TokenSet?) -> Void
    /// The profile's remembered devices: a refresh names the signed-in user's device.
    private let devices: (any RememberedDeviceStore)?

    public init(
        cognito: CognitoClient, tokens: TokenSet?, now: @escaping @Sendable () -> Date = { Date() },
        devices: (any RememberedDeviceStore)? = nil, persist: @escaping @Sendable (TokenSet?) -> Void
    ) {
        self.cognito = cognito
        self.tokens = tokens
        self.now = now
        self.devices = devices
        self.persist = persist
    }

    /// The device a refresh names (`DEVICE_KEY`): the user's remembered device, else the one the current access
    /// token names (a device tracked for this sign-in, remembered or not). Without it Cognito's refreshed access
    /// token would lose `device_key`.
    static func deviceKey(for tokens: TokenSet, devices: (any RememberedDeviceStore)?) -> String? {
        if let username = tokens.user?.username, !username.isEmpty,
            let remembered = devices?.device(for: username)
        {
            return remembered.deviceKey
        }
        return JWTClaims(token: tokens.accessToken)?.string("device_key")
    }

    public var current: TokenSet? { tokens }

    /// Stores the tokens of a fresh sign-in.
    public func signedIn(_ tokens: TokenSet) {
        self.tokens = tokens
        persist(tokens)
    }

    /// Stores the tokens Cognito answered a sign-in with (the app's and `handset login`'s one way to keep them).
    @discardableResult
    public func signedIn(_ result: AuthenticationResult) -> TokenSet {
        let fresh = TokenSet(result, receivedAt: now())
        signedIn(fresh)
        return fresh
    }

    /// Stores the tokens of a sign-in through the pool's managed login (in a browser, or approved on another
    /// device): signing out later ends the browser's session too.
    @discardableResult
    public func signedIn(_ tokens: HostedUIClient.Tokens) -> TokenSet {
        let fresh = TokenSet(
            idToken: tokens.idToken, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
            expiresAt: now().addingTimeInterval(TimeInterval(tokens.expiresIn)), viaHostedUI: true)
        signedIn(fresh)
        return fresh
    }

    /// Signs out: tells Cognito (GlobalSignOut for every device, else RevokeToken for this device's refresh token),
    /// then forgets the session here and removes the token cache, whatever Cognito answered. The app and
    /// `handset logout` both sign out through here.
    public func signOut(everywhere: Bool) async -> SignOutResult {
        guard let tokens else { return SignOutResult(wasSignedIn: false) }
        var result = SignOutResult(wasSignedIn: true, endsBrowserSession: tokens.viaHostedUI)
        do {
            if everywhere {
                // An expired access token cannot end the other sessions: refresh it first if it is due.
                let access = (try? await validToken(.access)) ?? tokens.accessToken
                try await cognito.globalSignOut(accessToken: access)
            } else if let refresh = tokens.refreshToken {
                try await cognito.revokeToken(refresh)
            }
        } catch {
            result.serverNotTold = RemoteError.from(error).message
        }
        forget()
        return result
    }

    /// Forgets the session, removing the token cache.
    private func forget() {
        refreshing?.cancel()
        refreshing = nil
        tokens = nil
        persist(nil)
    }

    /// An ID token that is valid now, refreshing first if it expires soon.
    public func validIDToken() async throws -> String {
        try await validToken(.id)
    }

    /// The ID or access token, valid now, refreshing first if it expires soon.
    ///
    /// With `user`, only that user's session will do: once someone else is signed in, a request made for the
    /// previous user's data (a sync still running, its outbox) fails as their expired session instead of being
    /// sent under another person's name.
    public func validToken(_ kind: AuthorizationToken, for user: String? = nil) async throws -> String {
        guard var tokens, Self.belongs(tokens, to: user) else { throw RemoteError.sessionExpired }
        if tokens.needsRefresh(at: now()) { tokens = try await refreshOnce() }
        guard Self.belongs(tokens, to: user) else { throw RemoteError.sessionExpired }
        return kind == .id ? tokens.idToken : tokens.accessToken
    }

    /// Refreshes even though the tokens look valid (after a 401).
    public func forceRefresh(for user: String? = nil) async throws {
        guard let tokens, Self.belongs(tokens, to: user) else { throw RemoteError.sessionExpired }
        _ = try await refreshOnce()
    }

    private static func belongs(_ tokens: TokenSet, to user: String?) -> Bool {
        guard let user else { return true }
        return tokens.user?.sub == user
    }

    private func refreshOnce() async throws -> TokenSet {
        if let refreshing { return try await refreshing.value }
        guard let tokens, let refreshToken = tokens.refreshToken else { throw RemoteError.sessionExpired }
        let cognito = self.cognito
        let now = self.now
        let deviceKey = Self.deviceKey(for: tokens, devices: devices)
        let task = Task { () throws -> TokenSet in
            let result = try await cognito.refresh(
                refreshToken: refreshToken, username: tokens.user?.username, deviceKey: deviceKey)
            return TokenSet(result, receivedAt: now(), keeping: refreshToken, viaHostedUI: tokens.viaHostedUI)
        }
        refreshing = task
        defer { refreshing = nil }
        do {
            let fresh = try await task.value
            self.tokens = fresh
            persist(fresh)
            return fresh
        } catch RemoteError.sessionExpired {
            self.tokens = nil
            persist(nil)
            throw RemoteError.sessionExpired
        }
    }
}

/// What a sign-out did. This device is signed out in every case.
public struct SignOutResult: Sendable, Equatable {
    /// Whether anyone was signed in.
    public var wasSignedIn: Bool
    /// Why Cognito could not be told (offline, or it refused), when it could not: the refresh token may stay valid
    /// until it expires.
    public var serverNotTold: String?
    /// The session came from the managed login in a browser, which stays signed in there until told too.
    public var endsBrowserSession: Bool

    public init(wasSignedIn: Bool, serverNotTold: String? = nil, endsBrowserSession: Bool = false) {
        self.wasSignedIn = wasSignedIn
        self.serverNotTold = serverNotTold
        self.endsBrowserSession = endsBrowserSession
    }
}
