import Foundation
import HandsetCloudStorage
import Hummingbird
import Logging
import ServiceLifecycle

/// The notification inbox's part of `buildApplication`: settings, the `_inbox` and `_topics` routes, the loopback
/// wake-up route for the CLI, the record-event sink, and the timers (retention, deliveries by other processes).
struct NotificationsSetup: Sendable {
    let settings: NotificationSettings
    let inbox: InboxService
    let notifier: RecordEventNotifier
    let watcher: ExternalDeliveryWatcher
    let logger: Logger

    init(
        directory: DataDirectory, storage: CloudStorage, document: APIDocument, settings: NotificationSettings?,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) async throws {
        if let settings {
            self.settings = try settings.validated()
        } else {
            self.settings = try await NotificationSettings.loadOrCreate(from: storage.settings, seed: directory)
                .validated()
        }
        let store = storage.notifications
        let waiters = InboxWaiters()
        inbox = InboxService(store: store, waiters: waiters, settings: self.settings, now: now)
        notifier = RecordEventNotifier(inbox: inbox, document: document, logger: logger)
        watcher = ExternalDeliveryWatcher(store: store, waiters: waiters)
        self.logger = logger
    }

    var recordEvents: any RecordEventSink { notifier }

    func addRoutes(to router: Router<CloudRequestContext>, authorizer: CognitoAuthorizerMiddleware, host: String) {
        let api = router.group("api").add(middleware: authorizer)
        InboxController(inbox: inbox).addRoutes(to: api)
        TopicsController(inbox: inbox).addRoutes(to: api)
        InboxWakeController(waiters: inbox.waiters, gate: LoopbackGate(bindHost: host)).addRoutes(to: router)
    }

    /// The retention purge with `lease` (once per interval across the fleet); the watcher on every instance, since
    /// each has its own waiting polls.
    func services(lease: PeriodicLease?) -> [any Service] {
        let inbox = inbox
        let watcher = watcher
        return [
            PeriodicTask(
                name: "notification retention",
                interval: .milliseconds(Int64(settings.purgeIntervalSeconds * 1000)), logger: logger, lease: lease,
                work: { try await inbox.purgeExpired() }),
            PeriodicTask(
                name: "notification watcher", interval: .milliseconds(Int64(settings.externalWritePollMilliseconds)),
                logger: logger, work: { try await watcher.tick() }),
        ]
    }
}
