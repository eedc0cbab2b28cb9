import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import HummingbirdTesting
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

/// Builds the cloud on `directory` (a fresh one by default, removed afterwards) and the backend's storage, and runs
/// `body` against its router.
func withCloud<Value: Sendable>(
    backend: TestBackend = .sqlite, demo: Bool = true, directory: URL? = nil, clock: TestClock = TestClock(),
    issuerBaseURL: String? = nil, api: APIConfiguration = APIConfiguration(),
    _ body: @Sendable (any TestClientProtocol, CloudFixture) async throws -> Value
) async throws -> Value {
    let root = try directory ?? makeTemporaryDirectory()
    defer {
        if directory == nil { try? FileManager.default.removeItem(at: root) }
    }
    return try await backend.withStorage(directory: root) { storage in
        let configuration = CloudConfiguration(
            port: 0, dataDirectory: root, demo: demo, issuerBaseURL: issuerBaseURL, now: { clock.now },
            logLevel: .critical)
        let app = try await HandsetCloud.buildApplication(configuration: configuration, storage: storage, api: api)
        let fixture = CloudFixture(
            directory: root, pool: try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: nil),
            clock: clock, storage: storage)
        return try await app.test(.router) { client in
            try await body(client, fixture)
        }
    }
}

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
