import Foundation
import HandsetCloudStorage

/// The pool's configuration as the storage's settings document `pool` (SQLite: `<data dir>/pool.json`, the file an
/// operator edits; MySQL: a row every instance shares), kept current while the cloud runs.
///
/// Where the storage can tell cheaply that the document changed (a `stat` of `pool.json`), `current()` asks at
/// every call, so a change by another instance or by hand is in force at the next request. Otherwise `refresh()`,
/// run every second by the application, reads it again. A document that does not parse (half-edited by hand)
/// leaves the last good configuration in force. Updates are read-change-write under the storage's lock, so
/// concurrent updates from several instances never lose one another.
final class LivePoolSettings: PoolSettingsRepository, @unchecked Sendable {
    private let settings: any SettingsRepository
    private let lock = NSLock()
    private var snapshot: PoolConfiguration
    private var stamp: String?
    private var observers: [@Sendable (PoolConfiguration) -> Void] = []

    /// Starts from the configuration `PoolConfiguration.loadOrCreate` read.
    init(settings: any SettingsRepository, initial: PoolConfiguration) {
        self.settings = settings
        self.snapshot = initial
        self.stamp = settings.changedDocument(.pool, since: nil)?.stamp
    }

    /// A change seen here (by hand, or by another instance) is told to the observers too, as an update is, so
    /// that what follows the configuration (amplify_outputs.json) follows it.
    func current() -> PoolConfiguration {
        let (configuration, changedObservers) = lock.withLock {
            () -> (PoolConfiguration, [@Sendable (PoolConfiguration) -> Void]) in
            var changed = false
            if let (data, fresh) = settings.changedDocument(.pool, since: stamp) {
                stamp = fresh
                if let configuration = Self.usable(data), configuration != snapshot {
                    snapshot = configuration
                    changed = true
                }
            }
            return (snapshot, changed ? observers : [])
        }
        for observer in changedObservers { observer(configuration) }
        return configuration
    }

    /// Reads the document again (for storage that cannot tell cheaply when it changed).
    func refresh() async throws {
        guard !settings.watchesChanges else { return }
        let data = try await settings.document(.pool) { try PoolConfiguration.generate().fileContents() }
        if let configuration = Self.usable(data) { lock.withLock { snapshot = configuration } }
    }

    func update(
        _ change: @escaping @Sendable (inout PoolConfiguration) throws -> Void
    ) async throws -> PoolConfiguration {
        let data = try await settings.updateDocument(.pool) { data in
            var configuration = try PoolConfiguration.decode(data)
            try change(&configuration)
            return try configuration.fileContents()
        }
        let updated = try PoolConfiguration.decode(data)
        let observers = lock.withLock { () -> [@Sendable (PoolConfiguration) -> Void] in
            snapshot = updated
            return self.observers
        }
        for observer in observers { observer(updated) }
        return updated
    }

    func observeUpdates(_ observer: @escaping @Sendable (PoolConfiguration) -> Void) {
        lock.withLock { observers.append(observer) }
    }

    private static func usable(_ data: Data) -> PoolConfiguration? {
        guard let configuration = try? PoolConfiguration.decode(data), !configuration.clients.isEmpty,
            configuration.userPoolId.contains("_")
        else { return nil }
        return configuration
    }
}
