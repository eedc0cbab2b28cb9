import Foundation

/// The state of managed login, one repository per concern, all shared by every instance serving the pool.
package struct HostedUIStores: Sendable {
    package var codes: any AuthorizationCodeRepository
    package var signIns: any OAuthSignInRepository
    package var sessions: any BrowserSessionRepository
    package var devices: any DeviceCodeRepository
    package var federation: any FederationRequestRepository
    package var identities: any LinkedIdentityRepository

    package init(
        codes: any AuthorizationCodeRepository, signIns: any OAuthSignInRepository,
        sessions: any BrowserSessionRepository, devices: any DeviceCodeRepository,
        federation: any FederationRequestRepository, identities: any LinkedIdentityRepository
    ) {
        self.codes = codes
        self.signIns = signIns
        self.sessions = sessions
        self.devices = devices
        self.federation = federation
        self.identities = identities
    }

    /// Removes what has expired (run every minute with the identity purge).
    package func purgeExpired(now: Date) async throws {
        try await codes.purge(before: now)
        try await signIns.purge(before: now)
        try await sessions.purge(before: now)
        try await devices.purge(before: now)
        try await federation.purge(before: now)
    }
}
