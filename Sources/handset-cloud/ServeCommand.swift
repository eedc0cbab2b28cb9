import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudMySQL
import HandsetCloudStorage
import Hummingbird
import Logging
import Metrics

/// `handset-cloud serve`: runs the local cloud until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the local cloud on one port.",
        discussion: """
            Serves Cognito's JSON protocol at http://<host>:<port>/ (point the AWS CLI or an SDK at it with an \
            endpoint URL), the pool's JWKS at /<userPoolId>/.well-known/jwks.json, and the REST API under /api. \
            Everything persists under the data directory, which also receives amplify_outputs.json for clients. \
            With --database mysql://..., the state (users, records, notifications, object rows, keys, settings, the \
            mailbox) lives in that MariaDB/MySQL database instead, shared by every instance started on it; object \
            bytes, logs and amplify_outputs.json stay in the data directory, and on the first start the settings are \
            seeded from its pool.json, storage.json and notifications.json when present.

            Admin operations (AdminCreateUser, ListUsers, CreateGroup, ...) are accepted unsigned while the server \
            listens on a loopback address (the default), to requests from this machine whose Host and Origin name \
            localhost or a loopback address. Off loopback (bound to another interface, or relayed by a proxy that \
            adds X-Forwarded-For) they need a SigV4 signature by an access key of --admin-credentials, as boto3 \
            and the AWS CLI send; without that option they are refused. Codes and temporary passwords go to the \
            mailbox (<data-dir>/mailbox.jsonl, or the database): read them with `handset-cloud mailbox` or GET \
            /_loopback/mailbox (loopback only). Pool settings (MFA mode and factors, password policy, token lifetimes, \
            refresh-token rotation, clients) live in <data-dir>/pool.json (or the database).
            """)

    @Option(name: .long, help: "The interface to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port = CloudConfiguration.defaultPort

    @OptionGroup(title: "Storage")
    var storage: StorageOptions

    @Flag(
        name: .long,
        help:
            "Seed demo users (alice, bob; tina with TOTP, emma with email OTP, sam with SMS MFA, nora with a temporary password) and alice's and bob's records, if absent."
    )
    var demo = false

    @Option(
        name: .customLong("issuer-base-url"),
        help: "The base of the tokens' iss claim (default: this server's own URL, as http://<host>:<port>).")
    var issuerBaseURL: String?

    @Option(
        name: .customLong("public-url"),
        help:
            "Where clients reach this server when not at http://<host>:<port> (a proxy in front): the base of signed storage URLs."
    )
    var publicURL: String?

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may stay silent (no request, or an unfinished request head or body).")
    var idleTimeout = 30

    @Option(name: .customLong("max-connections"), help: "Connections served at once; more wait until one closes.")
    var maximumConnections = ConnectionLimits().maximumConnections

    @Option(
        name: .customLong("ready-file"),
        help: ArgumentHelp(
            "Once listening, write this file (atomically) with JSON saying where: url, port, pid, outputsFile, "
                + "userPoolId, userPoolClientId. For scripts and tests that wait for the server.",
            valueName: "path"))
    var readyFile: String?

    @Option(name: .long, help: "Diagnostics on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    @OptionGroup(title: "Running several instances")
    var fleet: FleetOptions

    @OptionGroup(title: "Record API")
    var api: APIOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be from 1 to 3600") }
        guard maximumConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        try fleet.validate()
        if let readyFile {
            let directory = URL(fileURLWithPath: readyFile).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw ValidationError("--ready-file: cannot write in \(directory)")
            }
        }
        if let publicURL {
            guard let url = URL(string: publicURL), url.scheme == "http" || url.scheme == "https", url.host != nil,
                url.query == nil
            else { throw ValidationError("--public-url must be an http(s) URL such as https://cloud.example.com") }
        }
    }

    func run() async throws {
        // A file left by an earlier run must not say "ready" before this one listens.
        if let readyFile { try? FileManager.default.removeItem(atPath: readyFile) }
        var configuration = CloudConfiguration(
            host: host, port: port, dataDirectory: storage.dataDirectoryURL, demo: demo,
            issuerBaseURL: issuerBaseURL, publicURL: publicURL,
            connectionLimits: ConnectionLimits(
                idleTimeout: .seconds(idleTimeout), maximumConnections: maximumConnections),
            logLevel: Logger.Level(rawValue: logLevel) ?? .notice,
            onListening: { endpoints in
                let text = StartupBanner.lines(for: endpoints).joined(separator: "\n") + "\n"
                // Unbuffered, so that whoever waits for the first line sees it at once.
                FileHandle.standardOutput.write(Data(text.utf8))
                if let readyFile {
                    do {
                        try ReadyFile.write(ReadyFile.document(for: endpoints), to: URL(fileURLWithPath: readyFile))
                    } catch {
                        FileHandle.standardError.write(
                            Data("handset-cloud: cannot write --ready-file: \(error)\n".utf8))
                    }
                }
            })
        do {
            try fleet.apply(to: &configuration)
        } catch {
            FileHandle.standardError.write(Data("handset-cloud: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let metrics = CloudMetrics(instanceId: configuration.instanceId)
        configuration.metrics = metrics
        // Once per process: libraries' own swift-metrics land in this instance's scrape too.
        MetricsSystem.bootstrap(metrics.factory)
        let app: any ApplicationProtocol
        let opened: CloudStorage
        do {
            opened = try await storage.openForServing()
            do {
                // Existing tables served as collections: their change capture first, said on standard output.
                if let database = storage.database, let file = api.documentFile {
                    let mappings = try tableMappings(inAPIDocument: URL(fileURLWithPath: file))
                    if !mappings.isEmpty {
                        let lines = try await LegacyTableCommands.installCapture(
                            StorageOptions.configuration(database), mappings: mappings)
                        FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
                    }
                }
                app = try await buildApplication(configuration: configuration, storage: opened, api: api.configuration)
            } catch {
                await opened.close()
                throw error
            }
        } catch {
            FileHandle.standardError.write(Data("handset-cloud: \(error)\n".utf8))
            throw ExitCode.failure
        }
        do {
            try await app.runService()
            await opened.close()
        } catch {
            await opened.close()
            // In practice: the port is taken or the host is not an address of this machine.
            FileHandle.standardError.write(Data("handset-cloud: cannot serve on \(host):\(port): \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
