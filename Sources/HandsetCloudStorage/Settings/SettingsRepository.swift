import Foundation

/// Settings documents (JSON) by name: the pool's configuration, object storage and notification settings. Every
/// instance on one database reads the same documents.
package protocol SettingsRepository: Sendable {
    /// The document stored under `name`; when there is none, stores `initial()` first (of concurrent first
    /// starts, one document wins and all return it).
    func document(
        _ name: SettingsName, creatingWith initial: @escaping @Sendable () throws -> Data
    ) async throws
        -> Data
    /// Replaces the document (takes effect at the next start of each instance).
    func replaceDocument(_ name: SettingsName, with data: Data) async throws
}

/// The settings documents.
package enum SettingsName: String, Sendable, CaseIterable {
    /// `PoolConfiguration`: ids, clients, policies (SQLite: `pool.json`, private).
    case pool
    /// `ObjectStorageSettings` (SQLite: `storage.json`).
    case storage
    /// `NotificationSettings` (SQLite: `notifications.json`).
    case notifications
}
