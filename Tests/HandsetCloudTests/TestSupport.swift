import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// A clock the tests move by hand, so that token expiry needs no sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        self.current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}

/// What a test knows about the cloud it runs against.
struct CloudFixture: Sendable {
    let directory: URL
    let pool: PoolConfiguration
    let clock: TestClock
    /// The storage the cloud runs on (SQLite in `directory`, or a MariaDB database).
    let storage: CloudStorage

    var clientId: String { pool.defaultClient.clientId }
    var dataDirectory: DataDirectory { DataDirectory(root: directory) }

    /// The pool's current token signing key.
    func signingKey() async throws -> SigningKey {
        try await SigningKey.current(in: storage.keys)
    }
}

/// A fresh, empty temporary directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "handset-cloud-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// `buildApplication` on SQLite storage in the configuration's data directory, as `handset-cloud serve` without
/// `--database` runs it.
func buildApplication(
    configuration: CloudConfiguration, api: APIConfiguration = APIConfiguration(),
    storage objectSettings: ObjectStorageSettings? = nil, notifications: NotificationSettings? = nil
) async throws -> some ApplicationProtocol {
    let storage = try SQLiteCloudStorage.open(directory: configuration.dataDirectory)
    return try await HandsetCloud.buildApplication(
        configuration: configuration, storage: storage, api: api, objectSettings: objectSettings,
        notifications: notifications)
}

/// Everything a test cloud can be built with; `withCloud(_:_:)` is the one place that builds one.
struct CloudOptions: Sendable {
    var backend: TestBackend = .sqlite
    var demo = true
    /// A directory to run in (kept afterwards); by default a fresh one, copied from a prebuilt template on SQLite.
    var directory: URL? = nil
    var clock = TestClock()
    var issuerBaseURL: String? = nil
    var api = APIConfiguration()
    var objectSettings: ObjectStorageSettings? = nil
    var notifications: NotificationSettings? = nil
    /// A real HTTP server on a port (`.live`, HTTPTesting) instead of calls straight into the router.
    var live = false
    /// Last changes to the configuration (instance id, request log, metrics).
    var configure: @Sendable (inout CloudConfiguration) -> Void = { _ in }
}

/// Builds the cloud `options` describe and runs `body` against it: a fresh data directory (removed afterwards) and
/// the backend's storage. On SQLite the directory starts as a copy of a template made once per test process for the
/// same demo flag, clock start and API document, so that the signing key and the demo users' SRP verifiers are
/// made once, not per test.
func withCloud<Value: Sendable>(
    _ options: CloudOptions, _ body: @Sendable (any TestClientProtocol, CloudFixture) async throws -> Value
) async throws -> Value {
    let root: URL
    if let directory = options.directory {
        root = directory
    } else {
        root = try makeTemporaryDirectory()
        if options.backend == .sqlite {
            try FileManager.default.removeItem(at: root)
            try FileManager.default.copyItem(at: try await CloudTemplates.shared.template(for: options), to: root)
        }
    }
    defer {
        if options.directory == nil { try? FileManager.default.removeItem(at: root) }
    }
    return try await options.backend.withStorage(directory: root) { storage in
        let app = try await HandsetCloud.buildApplication(
            configuration: options.configuration(root: root), storage: storage, api: options.api,
            objectSettings: options.objectSettings, notifications: options.notifications)
        let fixture = CloudFixture(
            directory: root, pool: try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: nil),
            clock: options.clock, storage: storage)
        return try await app.test(options.live ? .live : .router) { client in
            try await body(client, fixture)
        }
    }
}

/// The same with the options most tests name.
func withCloud<Value: Sendable>(
    backend: TestBackend = .sqlite, demo: Bool = true, directory: URL? = nil, clock: TestClock = TestClock(),
    issuerBaseURL: String? = nil, api: APIConfiguration = APIConfiguration(),
    _ body: @Sendable (any TestClientProtocol, CloudFixture) async throws -> Value
) async throws -> Value {
    try await withCloud(
        CloudOptions(
            backend: backend, demo: demo, directory: directory, clock: clock, issuerBaseURL: issuerBaseURL, api: api),
        body)
}

extension CloudOptions {
    func configuration(root: URL) -> CloudConfiguration {
        let clock = clock
        var configuration = CloudConfiguration(
            port: 0, dataDirectory: root, demo: demo, issuerBaseURL: issuerBaseURL, now: { clock.now },
            logLevel: .critical)
        configure(&configuration)
        return configuration
    }

    /// What a template must agree on: everything the first start writes into the data directory.
    var templateKey: String {
        "\(demo)-\(clock.now.timeIntervalSince1970)-\(api.documentFile?.path ?? "")"
    }
}

/// Data directories as the first start leaves them (signing key, pool, demo users and records), one per
/// `CloudOptions.templateKey`, made once per test process and removed when it exits.
actor CloudTemplates {
    static let shared = CloudTemplates()

    private var made: [String: Task<URL, any Error>] = [:]

    func template(for options: CloudOptions) async throws -> URL {
        let key = options.templateKey
        if let task = made[key] { return try await task.value }
        let task = Task { try await Self.make(options) }
        made[key] = task
        return try await task.value
    }

    private static func make(_ options: CloudOptions) async throws -> URL {
        let root = try makeTemporaryDirectory()
        templateDirectories.append(root)
        let storage = try SQLiteCloudStorage.open(directory: root)
        do {
            // Building the application is what creates the key and the pool and seeds the demo.
            var plain = options
            plain.configure = { _ in }
            _ = try await HandsetCloud.buildApplication(
                configuration: plain.configuration(root: root), storage: storage, api: options.api)
            await storage.close()
        } catch {
            await storage.close()
            throw error
        }
        // What a start writes but a test may expect to be absent: the request log (it may go elsewhere).
        let logs = DataDirectory(root: root).logsDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? [] {
            try FileManager.default.removeItem(at: logs.appendingPathComponent(name))
        }
        return root
    }
}

/// The templates made by this process, removed at its exit (`atexit` takes no context, hence a global).
final class TemplateDirectories: @unchecked Sendable {
    private let lock = NSLock()
    private var urls: [URL] = []

    func append(_ url: URL) { lock.withLock { urls.append(url) } }
    func removeAll() { for url in lock.withLock({ urls }) { try? FileManager.default.removeItem(at: url) } }
}

let templateDirectories: TemplateDirectories = {
    atexit { templateDirectories.removeAll() }
    return TemplateDirectories()
}()

extension TestClientProtocol {
    /// A raw call of Cognito's JSON protocol; `operation: nil` leaves out `X-Amz-Target`.
    func cognito(_ operation: String?, body: String) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: CognitoWire.contentType]
        if let operation {
            headers[HTTPField.Name(CognitoWire.targetHeader)!] = CognitoWire.targetPrefix + operation
        }
        return try await execute(uri: "/", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func initiateAuth(clientId: String, flow: String, parameters: [String: String]) async throws -> TestResponse {
        let request = InitiateAuthRequest(authFlow: flow, clientId: clientId, authParameters: parameters)
        let body = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        return try await cognito("InitiateAuth", body: body)
    }

    /// Signs in with USER_PASSWORD_AUTH and returns the tokens, failing the test otherwise.
    func signIn(_ username: String, _ password: String, fixture: CloudFixture) async throws -> AuthenticationResult {
        let response = try await initiateAuth(
            clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
            parameters: ["USERNAME": username, "PASSWORD": password])
        #expect(response.status == .ok, "sign-in failed: \(String(buffer: response.body))")
        let decoded = try JSONDecoder().decode(AuthResponse.self, from: Data(buffer: response.body))
        return try #require(decoded.authenticationResult)
    }

    func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = token }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(buffer: body))
    }

    func json() throws -> JSONValue {
        try JSONValue.parse(Data(buffer: body))
    }
}
