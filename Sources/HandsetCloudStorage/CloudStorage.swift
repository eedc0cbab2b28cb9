/// Everything the cloud keeps, behind one protocol per concern: what `buildApplication` and the admin commands are
/// given. `SQLiteCloudStorage.open` (HandsetCloudSQLite) and `MySQLCloudStorage.open` (HandsetCloudMySQL) make one.
package struct CloudStorage: Sendable {
    package var records: any RecordRepository
    package var identity: any IdentityRepository
    package var notifications: any NotificationRepository
    package var objects: any ObjectMetadataRepository
    package var keys: any KeyRepository
    package var settings: any SettingsRepository
    package var leases: any LeaseRepository
    package var mailbox: any MailboxRepository
    /// Managed login: authorization codes, browser sessions, device codes, federation, linked identities.
    package var hostedUI: HostedUIStores
    /// Which backend, for banners and diagnostics (`sqlite <path>`, or the database URL without its password).
    package var description: String
    /// Throws unless the database answers and its migrations are complete (a readiness check); `StorageNotReady`
    /// says why in words an operator can act on.
    package var checkReady: @Sendable () async throws -> Void
    /// Closes connections; the storage is unusable afterwards.
    package var close: @Sendable () async -> Void
    /// How the connection pool is used now, for `/metrics` (nil: no pool, as with SQLite).
    package var poolSample: (@Sendable () -> DatabasePoolSample)?

    package init(
        records: any RecordRepository, identity: any IdentityRepository, notifications: any NotificationRepository,
        objects: any ObjectMetadataRepository, keys: any KeyRepository, settings: any SettingsRepository,
        leases: any LeaseRepository, mailbox: any MailboxRepository, hostedUI: HostedUIStores, description: String,
        checkReady: @escaping @Sendable () async throws -> Void, close: @escaping @Sendable () async -> Void
    ) {
        self.records = records
        self.identity = identity
        self.notifications = notifications
        self.objects = objects
        self.keys = keys
        self.settings = settings
        self.leases = leases
        self.mailbox = mailbox
        self.hostedUI = hostedUI
        self.description = description
        self.checkReady = checkReady
        self.close = close
    }
}
