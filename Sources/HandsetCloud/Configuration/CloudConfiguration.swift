import Foundation
import Logging

/// Everything `buildApplication(configuration:)` needs to start a local cloud.
public struct CloudConfiguration: Sendable {
    /// The interface to bind, also the host of every URL the cloud hands out.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// Where the database, keys, pool configuration, logs and `amplify_outputs.json` live.
    public var dataDirectory: URL
    /// Seeds the demo users and their records (only those still absent).
    public var demo: Bool
    /// The base of the token issuer (`<base>/<userPoolId>`); `nil` uses the server's own URL.
    public var issuerBaseURL: String?
    /// Where clients reach this server, when not at its bind address (behind a proxy): the base of signed storage
    /// URLs. `nil` uses `http://<host>:<port>`.
    public var publicURL: String?
    /// Timeouts and the connection limit of the HTTP server.
    public var connectionLimits: ConnectionLimits
    /// The clock for token times and record timestamps.
    public var now: @Sendable () -> Date
    /// The level of the server's own diagnostics on standard error (request logs go to the data directory).
    public var logLevel: Logger.Level
    /// Called once the server listens, after `amplify_outputs.json` is written.
    public var onListening: @Sendable (CloudEndpoints) async -> Void
    /// How the pool reaches third-party identity providers (tests put a provider in memory here).
    var upstreamHTTP: (any UpstreamHTTP)? = nil
    /// This instance's name in the request log, `/healthz` and the metrics.
    public var instanceId = InstanceID.generate()
    /// Where the request log goes.
    public var requestLog = RequestLogDestination.dataDirectory
    /// Where object bytes live when not under the data directory: a directory every instance of a fleet shares.
    public var objectsDirectory: URL?
    /// Access keys that may sign admin operations off loopback (nil: admin operations only on loopback).
    public var adminCredentials: AdminCredentials?
    /// The metrics `GET /metrics` shows, for a caller that feeds them too (`sampleDatabasePool`); nil makes new ones.
    public var metrics: CloudMetrics?

    public static let defaultPort = 8900
    public static let defaultDataDirectory = "handset-cloud-data"

    public init(
        host: String = "127.0.0.1",
        port: Int = CloudConfiguration.defaultPort,
        dataDirectory: URL = URL(fileURLWithPath: CloudConfiguration.defaultDataDirectory),
        demo: Bool = false,
        issuerBaseURL: String? = nil,
        publicURL: String? = nil,
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        now: @escaping @Sendable () -> Date = { Date() },
        logLevel: Logger.Level = .info,
        onListening: @escaping @Sendable (CloudEndpoints) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.demo = demo
        self.issuerBaseURL = issuerBaseURL
        self.publicURL = publicURL
        self.connectionLimits = connectionLimits
        self.now = now
        self.logLevel = logLevel
        self.onListening = onListening
    }
}
