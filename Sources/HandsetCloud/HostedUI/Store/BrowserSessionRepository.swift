import Foundation

/// A browser's session with managed login, named by its cookie: the CSRF token its forms carry, who signed in
/// (so that the next `/oauth2/authorize` signs them in without asking again), and a sign-in in progress.
struct BrowserSession: Sendable, Equatable {
    /// SHA-256 (hex) of the cookie's value.
    var idHash: String
    /// What every form of this session carries; compared in constant time.
    var csrfToken: String
    var sub: String?
    var authTime: Int?
    var pending: PendingSignIn?
    var createdAt: Date
    var expiresAt: Date

    /// Cognito's managed-login sessions last an hour.
    static let lifetime: TimeInterval = 3600
}

/// A sign-in on the hosted pages between its steps: the challenge Cognito's sign-in asked for and the session
/// string that answers it. Kept on the server, never in the page.
struct PendingSignIn: Codable, Sendable, Equatable {
    var clientId: String
    var username: String
    var challengeName: String
    var challengeSession: String
    /// The challenge's parameters worth showing (where a code went, the factors to choose from, a TOTP secret).
    var parameters: [String: String]
}

/// Browser sessions of managed login, shared by every instance (a browser's next request may reach another).
protocol BrowserSessionRepository: Sendable {
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
