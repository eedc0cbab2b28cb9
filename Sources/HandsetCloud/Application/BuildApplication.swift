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
    let signingKey = try SigningKey.loadOrCreate(in: directory)
    let database = try CloudDatabase.open(in: directory)
    let document = try RecordAPISetup.document(api, pool: pool)
    let requestLog = try RequestLogWriter(destination: configuration.requestLog, directory: directory)
    let metrics = configuration.metrics ?? CloudMetrics(instanceId: configuration.instanceId)

    let identityStore = IdentityStore(database: database)
    let records = SQLiteRecordRepository(database: database)
    let objects = try ObjectsSetup(
        directory: directory,
        blobs: DirectoryBlobStore(root: configuration.objectsDirectory ?? directory.objectsDirectory),
        database: database, document: document, records: records, settings: storage,
        now: configuration.now, logger: logger)
    let inbox = try NotificationsSetup(
        directory: directory, database: database, document: document, settings: notifications,
        now: configuration.now, logger: logger)
    metrics.sampleLongPolls { [waiters = inbox.inbox.waiters] in waiters.count }
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
        keys: keys, keyID: signingKey.keyID, issuer: issuer, lifetimes: pool.tokenLifetimes, now: configuration.now)
    let verifier = IDTokenVerifier(
        keys: keys, keyIDs: [signingKey.keyID], issuer: issuer, clientIds: Set(pool.clients.map(\.clientId)),
        now: configuration.now)

    let router = Router(context: CloudRequestContext.self)
    RecordAPISetup.addBaselineRoute(to: router, gate: LoopbackGate(bindHost: configuration.host))
    OperationsController(
        instanceId: metrics.instanceId, metrics: metrics, readiness: database.readiness
    ).addRoutes(to: router)
    router.add(middleware: RequestLogMiddleware(writer: requestLog, metrics: metrics, now: configuration.now))
    try UserPoolRoutes.add(
        to: router, configuration: pool, store: identityStore, directory: directory, keys: keys,
        keyID: signingKey.keyID, issuer: issuer, tokens: tokens, host: configuration.host,
        adminCredentials: configuration.adminCredentials, metrics: metrics,
        now: configuration.now)
    WellKnownController(
        userPoolId: pool.userPoolId, issuer: issuer, keySet: JSONWebKeySet(keys: [try signingKey.publicJWK()])
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
    let identityPurge = PeriodicTask(
        name: "identity purge", interval: .seconds(60), logger: logger,
        work: {
            let report = try await identityStore.purgeExpired(now: configuration.now())
            if report != IdentityPurgeReport() { logger.debug("identity purge: \(report)") }
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
        services: objects.services + inbox.services + [
            identityPurge, MemoryTrimmer(gauge: gauge, logger: logger),
        ],
        onServerRunning: { channel in
            address.listening(on: channel.localAddress?.port ?? configuration.port)
            let endpoints = CloudEndpoints(
                baseURL: address.baseURL, port: address.currentPort, region: pool.region,
                userPoolId: pool.userPoolId, userPoolClientId: pool.defaultClient.clientId, issuer: issuer.value,
                outputsFile: directory.amplifyOutputs, demoUsers: demoUsers,
                collections: document.orderedCollections.map(\.name),
                publicBaseURL: configuration.publicURL == nil ? nil : address.publicBaseURL)
            do {
                try writeOutputs(endpoints.amplifyOutputs, to: directory.amplifyOutputs)
            } catch {
                logger.error("Cannot write \(directory.amplifyOutputs.path): \(error)")
            }
            await onListening(endpoints)
        },
        logger: logger)
}

private func writeOutputs(_ outputs: AmplifyOutputs, to file: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(outputs)
    data.append(UInt8(ascii: "\n"))
    try AtomicFile.write(data, to: file, permissions: 0o644)
}
