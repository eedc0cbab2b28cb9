/// What one purge of the identity tables removed.
package struct IdentityPurgeReport: Sendable, Equatable {
    package var sessions = 0
    package var failures = 0
    package var codes = 0
    package var refreshTokens = 0

    package init(sessions: Int = 0, failures: Int = 0, codes: Int = 0, refreshTokens: Int = 0) {
        self.sessions = sessions
        self.failures = failures
        self.codes = codes
        self.refreshTokens = refreshTokens
    }
}
