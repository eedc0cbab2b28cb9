import Foundation

/// The state of managed login, one repository per concern, all shared by every instance serving the pool.
struct HostedUIStores: Sendable {
    var codes: any AuthorizationCodeRepository
    var signIns: any OAuthSignInRepository
    var sessions: any BrowserSessionRepository
    var devices: any DeviceCodeRepository
    var federation: any FederationRequestRepository
    var identities: any LinkedIdentityRepository

    /// The SQLite implementations, on the cloud's database.
    static func sqlite(_ database: CloudDatabase) -> HostedUIStores {
        HostedUIStores(
            codes: SQLiteAuthorizationCodeRepository(database: database),
            signIns: SQLiteOAuthSignInRepository(database: database),
            sessions: SQLiteBrowserSessionRepository(database: database),
            devices: SQLiteDeviceCodeRepository(database: database),
            federation: SQLiteFederationRequestRepository(database: database),
            identities: SQLiteLinkedIdentityRepository(database: database))
    }

    /// Removes what has expired (run every minute with the identity purge).
    func purgeExpired(now: Date) async throws {
        try await codes.purge(before: now)
        try await signIns.purge(before: now)
        try await sessions.purge(before: now)
        try await devices.purge(before: now)
        try await federation.purge(before: now)
    }
}
