import Foundation
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the local cloud: Cognito's JSON protocol on `/`, JWKS and OpenID discovery under `/<userPoolId>/`, and the
/// REST API under `/api`, all on one port, persisted in `storage` (SQLite in the data directory, or a MySQL
/// database shared by every instance) with object bytes, logs and `amplify_outputs.json` in the data directory.
///
/// Creates the pool configuration, keys and settings on the first start (once, whichever instance starts first),
/// and reuses them after. Once the server listens it writes `amplify_outputs.json` and calls
/// `configuration.onListening`.
///
/// `objectSettings` and `notifications` override the stored object storage and notification settings.
package func buildApplication(
    configuration: CloudConfiguration, storage: CloudStorage, api: APIConfiguration = APIConfiguration(),
    objectSettings: ObjectStorageSettings? = nil, notifications: NotificationSettings? = nil
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "handset-cloud", factory: StreamLogHandler.standardError(label:))
        logger.logLevel = configuration.logLevel
        return logger
    }()

    let directory = try DataDirectory.prepare(at: configuration.dataDirectory)
    let pool = try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: directory)
    let settings = LivePoolSettings(settings: storage.settings, initial: pool)
    // App clients may sign for up to a day (Cognito's bound), whatever the pool's own lifetimes say.
    let keys = try await SigningKeyring.load(
        from: storage.keys, longestTokenLifetime: max(pool.tokenLifetimes.longestSigned, 86400),
        now: configuration.now)
    let document = try RecordAPISetup.document(api, pool: pool)
    let metrics = configuration.metrics ?? CloudMetrics(instanceId: configuration.instanceId)
    let requestLog = try RequestLogWriter(
        destination: configuration.requestLog, directory: directory,
        onDropped: { [metrics] in metrics.requestLogLinesDropped($0) })

    let identityStore = storage.identity
    let hostedUI = storage.hostedUI
    let records = storage.records
    // Before anything writes records: storage indexes (and, on MySQL, keeps sort values) for these layouts.
    try await records.prepare(for: document.orderedCollections.map(\.layout))
    let objects = try await ObjectsSetup(
        directory: directory,
        blobs: DirectoryBlobStore(root: configuration.objectsDirectory ?? directory.objectsDirectory),
        storage: storage, document: document, records: records, settings: objectSettings,
        now: configuration.now, logger: logger)
    let inbox = try await NotificationsSetup(
        directory: directory, storage: storage, document: document, settings: notifications,
        now: configuration.now, logger: logger)
    metrics.sampleLongPolls { [waiters = inbox.inbox.waiters] in waiters.count }
    if let sample = storage.poolSample { metrics.sampleDatabasePool(sample) }
    let recordsWithEvents = RecordEventRepository(base: records, sinks: [objects.recordEvents, inbox.recordEvents])

    let demoUsers: [DemoUser] =
        configuration.demo
        ? try await DemoSeeder(
            pool: pool, store: identityStore, records: records, collections: Set(document.collections.keys),
            objects: objects.store, now: configuration.now
        ).seed() : []

    let address = ServerAddress(host: configuration.host, port: configuration.port, publicURL: configuration.publicURL)
    let issuer = Issuer(override: configuration.issuerBaseURL, address: address, userPoolId: pool.userPoolId)
    let tokens = TokenIssuer(
        keys: keys, issuer: issuer,
        lifetimes: { clientId in
            let current = settings.current()
            return current.client(id: clientId).map(current.tokenLifetimes(for:)) ?? current.tokenLifetimes
        }, now: configuration.now, signIns: hostedUI.signIns, identities: hostedUI.identities,
        groups: storage.identity)
    let verifier = IDTokenVerifier(
        keys: keys, issuer: issuer, clientIds: KnownClients(settings: settings), now: configuration.now)

    let router = Router(context: CloudRequestContext.self)
    OperationsController(
        instanceId: metrics.instanceId, metrics: metrics, readiness: ReadinessCheck(storage.checkReady)
    ).addRoutes(to: router)
    router.add(middleware: RequestLogMiddleware(writer: requestLog, metrics: metrics, now: configuration.now))
    let userPool = try await UserPoolRoutes.add(
        to: router, settings: settings, storage: storage, keys: keys, issuer: issuer, tokens: tokens,
        host: configuration.host, adminCredentials: configuration.adminCredentials, metrics: metrics,
        now: configuration.now, moreOperations: { HostedUISetup.configurationOperations(pool: $0, stores: hostedUI) })
    try HostedUISetup.addRoutes(
        to: router, pool: userPool, stores: hostedUI, address: address,
        http: configuration.upstreamHTTP ?? URLSessionUpstreamHTTP())
    WellKnownController(
        userPoolId: pool.userPoolId, issuer: issuer, keys: keys, endpointBase: { address.publicBaseURL }
    ).addRoutes(to: router)
    router.add(middleware: RecordWriteOriginMiddleware())
    try await RecordAPISetup.addRoutes(
        to: router, api: api, document: document, records: recordsWithEvents, verifier: verifier, metrics: metrics,
        now: configuration.now)
    objects.addRoutes(to: router, authorizer: CognitoAuthorizerMiddleware(verifier: verifier), address: address)
    inbox.addRoutes(to: router, authorizer: CognitoAuthorizerMiddleware(verifier: verifier), host: configuration.host)

    let onListening = configuration.onListening
    let limits = configuration.connectionLimits
    let gauge = ConnectionGauge()
    // Purges and the lifecycle rule run once per interval across every instance on the storage.
    let lease = PeriodicLease(
        leases: storage.leases, holder: configuration.instanceId, won: { metrics.periodicRunWon(task: $0) })
    let identityPurge = PeriodicTask(
        name: "identity purge", interval: .seconds(60), logger: logger, lease: lease,
        work: {
            let report = try await identityStore.purgeExpired(now: configuration.now())
            if report != IdentityPurgeReport() { logger.debug("identity purge: \(report)") }
            try await hostedUI.purgeExpired(now: configuration.now())
        })
    let outputs = AmplifyOutputsFile(file: directory.amplifyOutputs, logger: logger)
    settings.observeUpdates { outputs.poolChanged($0) }
    let keyRefresh = PeriodicTask(
        name: "signing key refresh", interval: SigningKeyring.refreshInterval, logger: logger,
        work: {
            if try await keys.refresh() {
                logger.notice("signing keys changed: now signing with \(keys.current.current.keyID)")
            }
        })
    // Storage that cannot tell cheaply when the pool's settings changed (MySQL) is read again every second.
    let settingsRefresh = PeriodicTask(
        name: "pool settings refresh", interval: .seconds(1), logger: logger,
        work: {
            let before = settings.current()
            try await settings.refresh()
            let after = settings.current()
            // The newest configuration at the moment of writing: an update may have come in meanwhile.
            if after != before { outputs.poolChanged(settings.current()) }
        })
    return Application(
        router: router,
        server: .http1(
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestBodyDeadline(limits: limits)],
                idleTimeout: TimeAmount(limits.idleTimeout),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: limits.maximumHeaderBytes, maxHeaderListSize: limits.maximumHeaderBytes,
                    maxHeaderFieldCount: limits.maximumHeaderCount))),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: nil,
            availableConnectionsDelegate: GaugedConnectionLimit(gauge: gauge, maximum: limits.maximumConnections)),
        // The request log first: services stop in reverse order, so it writes its last lines after the server has
        // answered its last request.
        services: [RequestLogFlush(writer: requestLog)] + objects.services(lease: lease)
            + inbox.services(lease: lease) + [
                identityPurge, keyRefresh, settingsRefresh, MemoryTrimmer(gauge: gauge, logger: logger),
            ],
        onServerRunning: { channel in
            address.listening(on: channel.localAddress?.port ?? configuration.port)
            let endpoints = outputs.listening(
                CloudEndpoints(
                    baseURL: address.baseURL, port: address.currentPort, region: pool.region,
                    userPoolId: pool.userPoolId, userPoolClientId: pool.defaultClient.clientId, issuer: issuer.value,
                    outputsFile: directory.amplifyOutputs, demoUsers: demoUsers,
                    collections: document.orderedCollections.map(\.name),
                    publicBaseURL: configuration.publicURL == nil ? nil : address.publicBaseURL),
                configuration: settings.current())
            await onListening(endpoints)
        },
        logger: logger)
}
