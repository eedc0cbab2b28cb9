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
    /// Reads the document, lets `change` rewrite it and stores the result, under a lock every instance respects,
    /// so that concurrent changes from several instances never lose one another; returns what was stored. What
    /// `change` throws is rethrown and nothing is stored.
    func updateDocument(
        _ name: SettingsName, _ change: @escaping @Sendable (Data) throws -> Data
    ) async throws -> Data
    /// The document, when it may have changed since the read that gave `stamp` (nil: never read), with its new
    /// stamp; nil when it has not. Synchronous and cheap where the backend can tell (a file's identity and time,
    /// one `stat`), so callers may ask at every request; a backend that cannot tell cheaply always answers nil and
    /// says so in `watchesChanges`, and callers read `document` again from time to time instead.
    func changedDocument(_ name: SettingsName, since stamp: String?) -> (data: Data, stamp: String)?
    /// Whether `changedDocument` sees changes (by other instances, or by hand).
    var watchesChanges: Bool { get }
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
