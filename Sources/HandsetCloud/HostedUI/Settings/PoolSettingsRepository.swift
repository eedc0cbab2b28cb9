import Foundation
import HandsetCloudStorage

/// Where the pool's configuration lives while the cloud runs: app clients, the managed-login domain, identity
/// providers, token lifetimes. Cognito's configuration operations change it, and every instance serving the pool
/// must see the change at its next request.
///
/// `current()` is called several times per request, so implementations answer from a snapshot they keep fresh
/// (the file implementation compares the file's identity and time stamp; a database implementation would compare
/// a version number). `update` is read-change-write under a lock that every instance respects.
protocol PoolSettingsRepository: Sendable {
    /// The configuration as it is now.
    func current() -> PoolConfiguration
    /// Applies `change` to the newest configuration and stores the result; returns it. What `change` throws is
    /// rethrown and nothing is stored.
    @discardableResult
    func update(
        _ change: @escaping @Sendable (inout PoolConfiguration) throws -> Void
    ) async throws -> PoolConfiguration
    /// Called after every `update` made through this instance (to rewrite `amplify_outputs.json`).
    func observeUpdates(_ observer: @escaping @Sendable (PoolConfiguration) -> Void)
}
