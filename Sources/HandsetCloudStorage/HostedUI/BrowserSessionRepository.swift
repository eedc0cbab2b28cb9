import Foundation

/// A browser's session with managed login, named by its cookie: the CSRF token its forms carry, who signed in
/// (so that the next `/oauth2/authorize` signs them in without asking again), and a sign-in in progress.
package struct BrowserSession: Sendable, Equatable {
    /// SHA-256 (hex) of the cookie's value.
    package var idHash: String
    /// What every form of this session carries; compared in constant time.
    package var csrfToken: String
    package var sub: String?
    package var authTime: Int?
    package var pending: PendingSignIn?
    package var createdAt: Date
    package var expiresAt: Date

    /// Cognito's managed-login sessions last an hour.
    package static let lifetime: TimeInterval = 3600

    package init(
        idHash: String, csrfToken: String, sub: String?, authTime: Int?, pending: PendingSignIn?, createdAt: Date,
        expiresAt: Date
    ) {
        self.idHash = idHash
        self.csrfToken = csrfToken
        self.sub = sub
        self.authTime = authTime
        self.pending = pending
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A sign-in on the hosted pages between its steps: the challenge Cognito's sign-in asked for and the session
/// string that answers it. Kept on the server, never in the page.
package struct PendingSignIn: Codable, Sendable, Equatable {
    package var clientId: String
    package var username: String
    package var challengeName: String
    package var challengeSession: String
    /// The challenge's parameters worth showing (where a code went, the factors to choose from, a TOTP secret).
    package var parameters: [String: String]

    package init(
        clientId: String, username: String, challengeName: String, challengeSession: String,
        parameters: [String: String]
    ) {
        self.clientId = clientId
        self.username = username
        self.challengeName = challengeName
        self.challengeSession = challengeSession
        self.parameters = parameters
    }
}

/// Browser sessions of managed login, shared by every instance (a browser's next request may reach another).
package protocol BrowserSessionRepository: Sendable {
    func create(_ session: BrowserSession) async throws
    /// The live session with this id hash.
    func session(idHash: String, now: Date) async throws -> BrowserSession?
    /// Changes a live session in one transaction; `nil` when there is none.
    @discardableResult
    func update(
        idHash: String, now: Date, _ change: @Sendable @escaping (inout BrowserSession) -> Void
    ) async throws
        -> BrowserSession?
    func delete(idHash: String) async throws
    func purge(before date: Date) async throws
}
