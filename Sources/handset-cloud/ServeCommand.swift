import ArgumentParser
import Foundation
import HandsetCloud
import Hummingbird
import Logging

/// `handset-cloud serve`: runs the local cloud until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the local cloud on one port.",
        discussion: """
            Serves Cognito's JSON protocol at http://<host>:<port>/ (point the AWS CLI or an SDK at it with an \
            endpoint URL), the pool's JWKS at /<userPoolId>/.well-known/jwks.json, and the REST API under /api. \
            Everything persists under the data directory, which also receives amplify_outputs.json for clients.

            Admin operations (AdminCreateUser, ListUsers, CreateGroup, ...) are accepted without checking SigV4 \
            signatures, and only while the server listens on a loopback address (the default); bound to another \
            interface it refuses them. Codes and temporary passwords go to <data-dir>/outbox.jsonl: read them with \
            `handset-cloud outbox` or GET /_local/outbox (loopback only). Pool settings (MFA mode and factors, \
            password policy, token lifetimes, refresh-token rotation, clients) live in <data-dir>/pool.json.
            """)

    @Option(name: .long, help: "The interface to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port = CloudConfiguration.defaultPort

    @Option(name: .customLong("data-dir"), help: "Where the database, keys, logs and amplify_outputs.json live.")
    var dataDirectory = CloudConfiguration.defaultDataDirectory

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

    @Option(name: .long, help: "Diagnostics on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    @OptionGroup(title: "Record API")
    var api: APIOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let configuration = CloudConfiguration(
            host: host, port: port, dataDirectory: URL(fileURLWithPath: dataDirectory), demo: demo,
            issuerBaseURL: issuerBaseURL,
            logLevel: Logger.Level(rawValue: logLevel) ?? .notice,
            onListening: { endpoints in
                let text = StartupBanner.lines(for: endpoints).joined(separator: "\n") + "\n"
                // Unbuffered, so that whoever waits for the first line sees it at once.
                FileHandle.standardOutput.write(Data(text.utf8))
            })
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(configuration: configuration, api: api.configuration)
        } catch {
            FileHandle.standardError.write(Data("handset-cloud: \(error)\n".utf8))
            throw ExitCode.failure
        }
        do {
            try await app.runService()
        } catch {
            // In practice: the port is taken or the host is not an address of this machine.
            FileHandle.standardError.write(Data("handset-cloud: cannot serve on \(host):\(port): \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
