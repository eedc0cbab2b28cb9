import Foundation
import HTTPTypes
import HandsetCloudMySQL
import HandsetCloudStorage
import HandsetMySQL
import HandsetMySQLTesting
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

let needsMariaDBServer = ConditionTrait.enabled(
    if: TestMariaDB.isAvailable, Comment(rawValue: TestMariaDB.unavailableReason))

/// A cloud serving existing tables of its MariaDB database, and that database as the web application sees it.
struct LegacyCloud: Sendable {
    let api: APICloud
    /// A pool as the web application uses the database: its own sessions, REPEATABLE READ (MariaDB's default).
    let web: MySQLPool
    /// What setting up the capture said.
    let captureReport: [String]
    let configuration: MySQLConfiguration

    /// Runs SQL as the web application would.
    @discardableResult
    func sql(_ statement: String, _ parameters: [MySQLValue] = []) async throws -> MySQLResult {
        try await web.execute(statement, parameters)
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, as user: String?, headers: [String: String] = [:],
        body: String? = nil
    ) async throws -> TestResponse {
        try await api.send(method, path, as: user, headers: headers, body: body)
    }

    /// Every change of a collection since `cursor`, following pages.
    func changes(
        _ collection: String, as user: String, since cursor: String? = nil
    ) async throws
        -> (items: [JSONValue], cursor: String)
    {
        var items: [JSONValue] = []
        var cursor = cursor
        while true {
            let query = cursor.map { "?since=\($0)" } ?? ""
            let response = try await send(.get, "/api/\(collection)/_changes\(query)", as: user)
            #expect(response.status == .ok, "\(response.text)")
            let page = try response.json()
            items += page["items"]?.arrayValue ?? []
            cursor = page["cursor"]?.stringValue
            if page["hasMore"]?.boolValue != true { return (items, cursor ?? "") }
        }
    }
}

/// A user of a legacy cloud: a name, groups, and custom attributes for their ID token.
struct LegacyUser: Sendable {
    var name: String
    var groups: [String] = []
    var attributes: [String: String] = [:]
}

/// Builds a cloud on a fresh MariaDB database: `setup` creates the web application's tables (and rows), then the
/// cloud's tables are migrated, capture is installed for `document`'s mappings, and the application is built with
/// it, as `handset-cloud serve --database URL --api FILE` does.
func withLegacyCloud<Value: Sendable>(
    setup: [String], document: String, users: [LegacyUser], clock: TestClock = TestClock(),
    _ body: @Sendable (LegacyCloud) async throws -> Value
) async throws -> Value {
    try await withLegacyCloud(setup: setup, document: { _ in document }, users: users, clock: clock, body)
}

/// The same, with a document made once the tables exist (`schema import`'s, say).
func withLegacyCloud<Value: Sendable>(
    setup: [String], document: @Sendable (MySQLPool) async throws -> String, users: [LegacyUser],
    clock: TestClock = TestClock(), _ body: @Sendable (LegacyCloud) async throws -> Value
) async throws -> Value {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let documentFile = root.appendingPathComponent("api.json")
    return try await TestMariaDB.withDatabase("legacy") { database in
        let web = database.makePool()
        for statement in setup { _ = try await web.execute(statement) }
        try Data(try await document(web).utf8).write(to: documentFile)
        let storage = try await MySQLCloudStorage.open(
            database.configuration, options: MySQLPoolOptions(maximumConnections: 6, leaseTimeout: .seconds(120)))
        do {
            let report = try await LegacyTableCommands.installCapture(
                database.configuration, mappings: try tableMappings(inAPIDocument: documentFile))
            let app = try await HandsetCloud.buildApplication(
                configuration: CloudConfiguration(
                    port: 0, dataDirectory: root, demo: false, issuerBaseURL: testIssuerBase, now: { clock.now },
                    logLevel: .critical),
                storage: storage, api: APIConfiguration(documentFile: documentFile, throttle: nil))
            let fixture = CloudFixture(
                directory: root, pool: try await PoolConfiguration.loadOrCreate(from: storage.settings, seed: nil),
                clock: clock, storage: storage)
            let value = try await app.test(.router) { client in
                var tokens: [String: String] = [:]
                var subs: [String: String] = [:]
                for user in users {
                    let sub = UUID().uuidString.lowercased()
                    tokens[user.name] = try await mintLegacyIDToken(fixture: fixture, sub: sub, user: user)
                    subs[user.name] = sub
                }
                return try await body(
                    LegacyCloud(
                        api: APICloud(client: client, fixture: fixture, tokens: tokens, subs: subs), web: web,
                        captureReport: report, configuration: database.configuration))
            }
            await storage.close()
            return value
        } catch {
            await storage.close()
            throw error
        }
    }
}

/// An ID token as the pool issues it, with the user's custom attributes as claims of their own.
func mintLegacyIDToken(fixture: CloudFixture, sub: String, user: LegacyUser) async throws -> String {
    let key = try await fixture.signingKey()
    let now = Int(fixture.clock.now.timeIntervalSince1970)
    var claims = IDTokenClaims(
        sub: sub, aud: fixture.clientId, authTime: now, iat: now, exp: now + 3600,
        iss: "\(testIssuerBase)/\(fixture.pool.userPoolId)", email: "\(user.name)@example.com", emailVerified: true,
        cognitoUsername: user.name, cognitoGroups: user.groups.isEmpty ? nil : user.groups,
        jti: UUID().uuidString.lowercased(), originJti: UUID().uuidString.lowercased(),
        eventId: UUID().uuidString.lowercased())
    claims.customAttributes = user.attributes
    return try await key.keyCollection().sign(claims, kid: JWKIdentifier(string: key.keyID))
}

extension JSONValue {
    /// The items of a page or feed, by id.
    var itemsByID: [String: JSONValue] {
        Dictionary(
            (self["items"]?.arrayValue ?? []).compactMap { item in item["id"]?.stringValue.map { ($0, item) } },
            uniquingKeysWith: { $1 })
    }
}
