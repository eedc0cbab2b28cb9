import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage
import HandsetSRP
import HandsetWire

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `handset-cloud-bench signin`: full SRP + TOTP sign-ins per second against a real server (or any Cognito-speaking
/// one, such as moto's), and the server's CPU time per sign-in. Reports; never asserts.
struct SignInBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signin",
        abstract: "Measure full USER_SRP_AUTH + SOFTWARE_TOKEN_MFA sign-ins per second (reports, never asserts).",
        discussion: """
            Starts `handset-cloud serve` (the executable beside this one) on a free port with a temporary data directory (or uses --url and \
            --data-dir of a running one), creates --users users with TOTP through the admin and MFA operations, \
            then signs them in from --concurrency tasks for --seconds: InitiateAuth (SRP_A), RespondToAuthChallenge \
            (PASSWORD_VERIFIER) and RespondToAuthChallenge (SOFTWARE_TOKEN_MFA). A TOTP code works once, so each user \
            signs in at most once per 30-second step (plus one step of drift): have enough users for the rate. \
            The client's SRP math runs on the same machine and competes for the same cores.
            """)

    @Option(help: "How long to measure.") var seconds: Double = 10
    @Option(help: "Concurrent sign-ins.") var concurrency = 16
    @Option(help: "Users to create, each with TOTP.") var users = 1500
    @Option(help: "A running cloud's base URL (then --data-dir must be its data directory).") var url: String?
    @Option(name: .customLong("data-dir"), help: "The running cloud's data directory.") var dataDirectory: String?
    @Option(
        name: .customLong("admin-url"),
        help: ArgumentHelp(
            "Where to send the admin operations that create the users, when --url is a proxy that needs them signed "
                + "(an instance's own loopback address)."))
    var adminURL: String?
    @Option(
        name: .customLong("server-pid"),
        help: "With --url: the server's process id, to report its CPU time per sign-in over the measured window.")
    var serverPID: Int32?

    func run() async throws {
        let server: ServerProcess? = url == nil ? try await ServerProcess.start() : nil
        defer { server?.stop() }
        let baseURL = url ?? server!.baseURL
        let outputsFile = URL(fileURLWithPath: dataDirectory ?? server!.dataDirectory).appendingPathComponent(
            "amplify_outputs.json")
        let outputs = try JSONDecoder().decode(AmplifyOutputs.self, from: Data(contentsOf: outputsFile))
        let pool = BenchPool(
            endpoint: URL(string: baseURL + "/")!, adminEndpoint: adminURL.flatMap { URL(string: $0 + "/") },
            userPoolId: outputs.auth.userPoolId, clientId: outputs.auth.userPoolClientId)

        FileHandle.standardError.write(Data("bench-signin: creating \(users) users with TOTP...\n".utf8))
        let accounts = try await pool.createUsers(count: users, concurrency: max(concurrency, 8))
        let ledger = Ledger(accounts: accounts)

        let cpuBefore = server?.cpuSeconds() ?? serverPID.flatMap(ServerProcess.cpuSeconds(pid:))
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int(seconds * 1000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while ContinuousClock.now < deadline {
                        guard let (account, step) = await ledger.next() else { return }
                        let began = ContinuousClock.now
                        do {
                            try await pool.signIn(account, step: step)
                            await ledger.record(latency: ContinuousClock.now - began)
                        } catch {
                            await ledger.fail("\(error)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let cpuAfter = server?.cpuSeconds() ?? serverPID.flatMap(ServerProcess.cpuSeconds(pid:))
        let report = await ledger.report(
            elapsed: elapsed, serverCPU: cpuBefore.flatMap { before in cpuAfter.map { $0 - before } },
            concurrency: concurrency)
        print(report)
    }
}

/// Which user signs in next, with which TOTP step, and what happened.
actor Ledger {
    private var accounts: [BenchPool.Account]
    private var lastStep: [Int64]
    private var cursor = 0
    private var latencies: [Double] = []
    private var failures: [String] = []

    init(accounts: [BenchPool.Account]) {
        self.accounts = accounts
        self.lastStep = accounts.map(\.lastStep)
    }

    /// The next user that still has an unused step within the ±1 window.
    func next() -> (BenchPool.Account, Int64)? {
        let current = TOTP.step(at: Date())
        for _ in 0..<accounts.count {
            let index = cursor
            cursor = (cursor + 1) % accounts.count
            let step = max(lastStep[index] + 1, current - 1)
            if step <= current + 1 {
                lastStep[index] = step
                return (accounts[index], step)
            }
        }
        return nil
    }

    func record(latency: Duration) {
        latencies.append(Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15)
    }

    func fail(_ message: String) {
        failures.append(message)
    }

    func report(elapsed: Duration, serverCPU: Double?, concurrency: Int) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        var lines = [
            "full SRP + TOTP sign-ins: \(sorted.count) in \(String(format: "%.1f", seconds)) s with \(concurrency) "
                + "concurrent clients = \(String(format: "%.0f", Double(sorted.count) / seconds))/s",
            "client-perceived latency: p50 \(String(format: "%.1f", percentile(0.5))) ms, p95 "
                + "\(String(format: "%.1f", percentile(0.95))) ms, p99 \(String(format: "%.1f", percentile(0.99))) ms",
        ]
        if let serverCPU, !sorted.isEmpty {
            lines.append(
                "server CPU: \(String(format: "%.2f", serverCPU)) s = "
                    + "\(String(format: "%.2f", serverCPU * 1000 / Double(sorted.count))) ms per sign-in")
        }
        lines.append("failures: \(failures.count)" + (failures.first.map { " (first: \($0))" } ?? ""))
        if cursor == 0 && sorted.count < 10 { lines.append("(ran out of users: raise --users)") }
        return lines.joined(separator: "\n")
    }
}

/// Cognito's JSON protocol over URLSession, with the sign-in steps the benchmark needs.
struct BenchPool: Sendable {
    let endpoint: URL
    /// Where admin operations go, when not to `endpoint`.
    var adminEndpoint: URL?
    let userPoolId: String
    let clientId: String
    static let password = "Bench-Password-1"

    struct Account: Sendable {
        var username: String
        var secret: [UInt8]
        var lastStep: Int64
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var poolName: String { String(userPoolId.split(separator: "_").last ?? "") }

    func call(_ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: operation.hasPrefix("Admin") ? adminEndpoint ?? endpoint : endpoint)
        request.httpMethod = "POST"
        request.setValue(CognitoWire.contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(CognitoWire.targetPrefix + operation, forHTTPHeaderField: CognitoWire.targetHeader)
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw Failure(description: "\(operation): \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func createUsers(count: Int, concurrency: Int) async throws -> [Account] {
        let prefix = "bench-\(UUID().uuidString.prefix(6).lowercased())-"
        return try await withThrowingTaskGroup(of: [Account].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var made: [Account] = []
                    for index in stride(from: worker, to: count, by: concurrency) {
                        made.append(try await createUser(prefix + String(index)))
                    }
                    return made
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    private func createUser(_ username: String) async throws -> Account {
        _ = try await call(
            "AdminCreateUser",
            [
                "UserPoolId": userPoolId, "Username": username, "MessageAction": "SUPPRESS",
                "TemporaryPassword": Self.password,
            ])
        _ = try await call(
            "AdminSetUserPassword",
            ["UserPoolId": userPoolId, "Username": username, "Password": Self.password, "Permanent": true])
        let signIn = try await call(
            "InitiateAuth",
            [
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientId,
                "AuthParameters": ["USERNAME": username, "PASSWORD": Self.password],
            ])
        guard let accessToken = (signIn["AuthenticationResult"] as? [String: Any])?["AccessToken"] as? String else {
            throw Failure(description: "no access token for \(username)")
        }
        let associated = try await call("AssociateSoftwareToken", ["AccessToken": accessToken])
        guard let secret = (associated["SecretCode"] as? String).flatMap(Base32.decode) else {
            throw Failure(description: "no secret for \(username)")
        }
        var step = TOTP.step(at: Date()) - 1
        do {
            _ = try await call(
                "VerifySoftwareToken", ["AccessToken": accessToken, "UserCode": TOTP.code(secret: secret, step: step)])
        } catch {
            // The previous step fell out of the server's window while this ran (a step boundary on a busy
            // machine): the current one is inside it.
            step = TOTP.step(at: Date())
            _ = try await call(
                "VerifySoftwareToken", ["AccessToken": accessToken, "UserCode": TOTP.code(secret: secret, step: step)])
        }
        // TOTP as the preferred MFA, as a Cognito client asks for it (the local cloud already prefers a verified
        // authenticator; moto's server needs to be told).
        _ = try await call(
            "SetUserMFAPreference",
            ["AccessToken": accessToken, "SoftwareTokenMfaSettings": ["Enabled": true, "PreferredMfa": true]])
        return Account(username: username, secret: secret, lastStep: step)
    }

    /// InitiateAuth (SRP) → PASSWORD_VERIFIER → SOFTWARE_TOKEN_MFA; throws unless tokens come back.
    func signIn(_ account: Account, step: Int64) async throws {
        let srp = try SRPClientSession()
        let started = try await call(
            "InitiateAuth",
            [
                "AuthFlow": "USER_SRP_AUTH", "ClientId": clientId,
                "AuthParameters": ["USERNAME": account.username, "SRP_A": srp.publicValueHex],
            ])
        guard let parameters = started["ChallengeParameters"] as? [String: String],
            let userId = parameters["USER_ID_FOR_SRP"], let salt = parameters["SALT"],
            let serverPublic = parameters["SRP_B"],
            let secretBlock = parameters["SECRET_BLOCK"]
        else { throw Failure(description: "no PASSWORD_VERIFIER challenge") }
        let timestamp = CognitoTimestamp.string(from: Date())
        let signature = try srp.passwordClaimSignature(
            poolName: poolName, userIdForSRP: userId, password: Self.password, saltHex: salt,
            serverPublicValueHex: serverPublic, secretBlock: secretBlock, timestamp: timestamp)
        let verified = try await call(
            "RespondToAuthChallenge",
            [
                "ClientId": clientId, "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": [
                    // The user name, as Cognito takes either (moto's server only the name; its USER_ID_FOR_SRP
                    // is an id of its own).
                    "USERNAME": account.username, "PASSWORD_CLAIM_SECRET_BLOCK": secretBlock,
                    "PASSWORD_CLAIM_SIGNATURE": signature,
                    "TIMESTAMP": timestamp,
                ],
            ])
        guard verified["ChallengeName"] as? String == "SOFTWARE_TOKEN_MFA", let session = verified["Session"] as? String
        else { throw Failure(description: "no SOFTWARE_TOKEN_MFA challenge") }
        let signedIn = try await call(
            "RespondToAuthChallenge",
            [
                "ClientId": clientId, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session,
                "ChallengeResponses": [
                    "USERNAME": account.username,
                    "SOFTWARE_TOKEN_MFA_CODE": TOTP.code(secret: account.secret, step: step),
                ],
            ])
        guard signedIn["AuthenticationResult"] != nil else { throw Failure(description: "no tokens") }
    }
}

/// A `handset-cloud serve` child process on a free port with a temporary data directory.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let baseURL: String
    let dataDirectory: String

    private init(process: Process, baseURL: String, dataDirectory: String) {
        self.process = process
        self.baseURL = baseURL
        self.dataDirectory = dataDirectory
    }

    static func start() async throws -> ServerProcess {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("handset-cloud-bench-\(UUID().uuidString)").path
        let process = Process()
        // The product beside this benchmark executable (same build directory).
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.executableURL = own.deletingLastPathComponent().appendingPathComponent("handset-cloud")
        process.arguments = ["serve", "--port", "0", "--data-dir", directory, "--log-level", "error"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchPool.Failure(description: "the server exited") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("handset-cloud listening on ") else {
            throw BenchPool.Failure(description: "unexpected server output: \(text)")
        }
        return ServerProcess(
            process: process, baseURL: String(line.dropFirst("handset-cloud listening on ".count)),
            dataDirectory: directory)
    }

    /// User + system CPU time of the server so far, from /proc.
    func cpuSeconds() -> Double? {
        Self.cpuSeconds(pid: process.processIdentifier)
    }

    /// User + system CPU time of a process so far, from /proc.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based) → indices 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
