import Foundation
import HandsetModel

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

    public init(
        cognito: CognitoClient, tokens: TokenSet?, now: @escaping @Sendable () -> Date = { Date() },
        persist: @escaping @Sendable (TokenSet?) -> Void
    ) {
        self.cognito = cognito
        self.tokens = tokens
        self.now = now
        self.persist = persist
    }

    public var current: TokenSet? { tokens }

    /// Stores the tokens of a fresh sign-in.
    public func signedIn(_ tokens: TokenSet) {
        self.tokens = tokens
        persist(tokens)
    }

    /// Forgets the session (sign-out), removing the token cache.
    public func signOut() {
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
        let task = Task { () throws -> TokenSet in
            let result = try await cognito.refresh(refreshToken: refreshToken, username: tokens.user?.username)
            return TokenSet(
                idToken: result.idToken, accessToken: result.accessToken,
                refreshToken: result.refreshToken ?? refreshToken,
                expiresAt: now().addingTimeInterval(TimeInterval(result.expiresIn)), viaHostedUI: tokens.viaHostedUI)
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
