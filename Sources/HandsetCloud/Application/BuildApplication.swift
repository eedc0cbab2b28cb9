import Foundation
import HandsetWire
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the local cloud: Cognito's JSON protocol on `/`, JWKS and OpenID discovery under `/<userPoolId>/`, and the
/// REST API under `/api`, all on one port and persisted under the configured data directory.
///
/// Creates the data directory, pool configuration, signing key and database on the first start, and reuses them
/// after. Once the server listens it writes `amplify_outputs.json` and calls `configuration.onListening`.
///
/// `storage` and `notifications` default to `<data dir>/storage.json` and `notifications.json`.
public func buildApplication(
    configuration: CloudConfiguration, api: APIConfiguration = APIConfiguration(),
    storage: ObjectStorageSettings? = nil, notifications: NotificationSettings? = nil
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "handset-cloud", factory: StreamLogHandler.standardError(label:))
        logger.logLevel = configuration.logLevel
        return logger
    }()

    let directory = try DataDirectory.prepare(at: configuration.dataDirectory)
    let pool = try PoolConfiguration.loadOrCreate(in: directory)
    let settings = try PoolFileSettings(directory: directory)
    let signingKey = try SigningKey.loadOrCreate(in: directory)
    let database = try CloudDatabase.open(in: directory)
    let document = try RecordAPISetup.document(api, pool: pool)
    let requestLog = try RequestLogWriter(file: directory.requestLog)

    let identityStore = IdentityStore(database: database)
    let hostedUI = HostedUIStores.sqlite(database)
    let records = SQLiteRecordRepository(database: database)
    let objects = try ObjectsSetup(
        directory: directory, database: database, document: document, records: records, settings: storage,
        now: configuration.now, logger: logger)
    let inbox = try NotificationsSetup(
        directory: directory, database: database, document: document, settings: notifications,
        now: configuration.now, logger: logger)
    let recordsWithEvents = RecordEventRepository(base: records, sinks: [objects.recordEvents, inbox.recordEvents])

    let demoUsers: [DemoUser] =
        configuration.demo
        ? try await DemoSeeder(
            pool: pool, store: identityStore, records: records, collections: Set(document.collections.keys),
            objects: objects.store, now: configuration.now
        ).seed() : []

    let address = ServerAddress(host: configuration.host, port: configuration.port, publicURL: configuration.publicURL)
    let issuer = Issuer(override: configuration.issuerBaseURL, address: address, userPoolId: pool.userPoolId)
    let keys = await signingKey.keyCollection()
    let tokens = TokenIssuer(
        keys: keys, keyID: signingKey.keyID, issuer: issuer,
        lifetimes: { clientId in
            let current = settings.current()
            return current.client(id: clientId).map(current.tokenLifetimes(for:)) ?? current.tokenLifetimes
        }, now: configuration.now, signIns: hostedUI.signIns, identities: hostedUI.identities)
    let verifier = IDTokenVerifier(
        keys: keys, keyIDs: [signingKey.keyID], issuer: issuer, clientIds: KnownClients(settings: settings),
        now: configuration.now)

    let router = Router(context: CloudRequestContext.self)
    RecordAPISetup.addBaselineRoute(to: router, gate: LoopbackGate(bindHost: configuration.host))
    router.add(middleware: RequestLogMiddleware(writer: requestLog, now: configuration.now))
    let userPool = try UserPoolRoutes.add(
        to: router, settings: settings, store: identityStore, directory: directory, keys: keys,
        keyID: signingKey.keyID, issuer: issuer, tokens: tokens, host: configuration.host, now: configuration.now,
        moreOperations: { HostedUISetup.configurationOperations(pool: $0, stores: hostedUI) })
    try HostedUISetup.addRoutes(
        to: router, pool: userPool, stores: hostedUI, address: address,
        http: configuration.upstreamHTTP ?? URLSessionUpstreamHTTP())
    WellKnownController(
        userPoolId: pool.userPoolId, issuer: issuer, keySet: JSONWebKeySet(keys: [try signingKey.publicJWK()]),
        endpointBase: { address.publicBaseURL }
    ).addRoutes(to: router)
    router.add(middleware: RecordWriteOriginMiddleware())
    try await RecordAPISetup.addRoutes(
        to: router, api: api, document: document, records: recordsWithEvents, verifier: verifier,
        now: configuration.now)
    objects.addRoutes(to: router, authorizer: CognitoAuthorizerMiddleware(verifier: verifier), address: address)
    inbox.addRoutes(to: router, authorizer: CognitoAuthorizerMiddleware(verifier: verifier), host: configuration.host)

    let onListening = configuration.onListening
    let limits = configuration.connectionLimits
    let gauge = ConnectionGauge()
    let identityPurge = PeriodicTask(
        name: "identity purge", interval: .seconds(60), logger: logger,
        work: {
            let report = try await identityStore.purgeExpired(now: configuration.now())
            if report != IdentityPurgeReport() { logger.debug("identity purge: \(report)") }
            try await hostedUI.purgeExpired(now: configuration.now())
        })
    let outputs = AmplifyOutputsFile(file: directory.amplifyOutputs, logger: logger)
    settings.observeUpdates { outputs.poolChanged($0) }
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
        services: objects.services + inbox.services + [identityPurge, MemoryTrimmer(gauge: gauge, logger: logger)],
        onServerRunning: { channel in
            address.listening(on: channel.localAddress?.port ?? configuration.port)
            let endpoints = outputs.listening(
                CloudEndpoints(
                    baseURL: address.baseURL, port: address.currentPort, region: pool.region,
                    userPoolId: pool.userPoolId, userPoolClientId: pool.defaultClient.clientId, issuer: issuer.value,
                    outputsFile: directory.amplifyOutputs, demoUsers: demoUsers,
                    collections: document.orderedCollections.map(\.name)),
                configuration: settings.current())
            await onListening(endpoints)
        },
        logger: logger)
}
