import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

/// The issuer every API test cloud uses, so that minted tokens carry the issuer the authorizer expects.
let testIssuerBase = "https://cognito-idp.us-east-1.amazonaws.com"

/// A cloud for API tests: tokens for any user and groups, and requests with placeholders filled in.
struct APICloud: Sendable {
    let client: any TestClientProtocol
    let fixture: CloudFixture
    let tokens: [String: String]
    let subs: [String: String]

    func token(_ user: String?) -> String? { user.flatMap { tokens[$0] } }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, as user: String?, headers: [String: String] = [:],
        body: String? = nil
    ) async throws -> TestResponse {
        var fields: HTTPFields = [:]
        if let token = token(user) { fields[.authorization] = token }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        if body != nil { fields[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
    }
}

/// Users of the API tests: the demo's alice and bob (signed in for real) plus minted members of groups.
struct TestUser: Sendable {
    var name: String
    var groups: [String]
}

/// Builds a cloud with `api` and signs in (or mints tokens for) `users`; alice and bob are the demo users.
func withAPICloud<Value: Sendable>(
    backend: TestBackend = .sqlite, api: APIConfiguration = APIConfiguration(), demo: Bool = true,
    directory: URL? = nil, clock: TestClock = TestClock(), users: [TestUser] = [],
    _ body: @Sendable (APICloud) async throws -> Value
) async throws -> Value {
    try await withAPICloud(
        CloudOptions(
            backend: backend, demo: demo, directory: directory, clock: clock, issuerBaseURL: testIssuerBase, api: api),
        users: users, body)
}

/// `withCloud(options)` with the demo users signed in (when `options.demo`) and `users` minted.
func withAPICloud<Value: Sendable>(
    _ options: CloudOptions, users: [TestUser], _ body: @Sendable (APICloud) async throws -> Value
) async throws -> Value {
    try await withCloud(options) { client, fixture in
        var tokens: [String: String] = [:]
        var subs: [String: String] = [:]
        if options.demo {
            for (name, password) in [("alice", "Wonderland-42!"), ("bob", "Builder-42!")] {
                let token = try await client.signIn(name, password, fixture: fixture).idToken
                tokens[name] = token
                subs[name] = try JSONValue.parse(Base64URL.decode(token.split(separator: ".")[1])!)["sub"]?.stringValue
            }
        }
        for user in users {
            let sub = UUID().uuidString.lowercased()
            tokens[user.name] = try await mintIDToken(
                fixture: fixture, sub: sub, username: user.name, groups: user.groups)
            subs[user.name] = sub
        }
        return try await body(APICloud(client: client, fixture: fixture, tokens: tokens, subs: subs))
    }
}

/// An ID token signed with the pool's key, as the pool would issue it to a member of `groups`.
func mintIDToken(fixture: CloudFixture, sub: String, username: String, groups: [String]) async throws -> String {
    let key = try await fixture.signingKey()
    let now = Int(fixture.clock.now.timeIntervalSince1970)
    let claims = MintedIDClaims(
        sub: sub, aud: fixture.clientId, tokenUse: "id", authTime: now, iat: now, exp: now + 3600,
        iss: "\(testIssuerBase)/\(fixture.pool.userPoolId)", email: "\(username)@example.com",
        cognitoUsername: username, cognitoGroups: groups.isEmpty ? nil : groups)
    return try await key.keyCollection().sign(claims, kid: JWKIdentifier(string: key.keyID))
}

/// The claims of a Cognito ID token, written here so that tests do not depend on the issuer's own type.
struct MintedIDClaims: JWTPayload {
    var sub: String
    var aud: String
    var tokenUse: String
    var authTime: Int
    var iat: Int
    var exp: Int
    var iss: String
    var email: String
    var cognitoUsername: String
    var cognitoGroups: [String]?

    enum CodingKeys: String, CodingKey {
        case sub, aud, iat, exp, iss, email
        case tokenUse = "token_use"
        case authTime = "auth_time"
        case cognitoUsername = "cognito:username"
        case cognitoGroups = "cognito:groups"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The repository's root, for the example documents.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

// MARK: Scenarios

/// One row of a table-driven API test: who sends what, and what must come back.
struct APIScenario: Sendable, CustomTestStringConvertible {
    var name: String
    var user: String?
    var method: HTTPRequest.Method
    var path: String
    var headers: [String: String] = [:]
    var body: String?
    var status: Int
    var expect: [Expectation] = []
    /// Saves the response's `id` under this name, for `{name}` in later rows.
    var capture: String?

    var testDescription: String { name }

    enum Expectation: Sendable {
        /// The body is exactly this text (placeholders filled in).
        case exact(String)
        /// The body is JSON containing these keys with these values (objects compared the same way).
        case subset(JSONValue)
        /// These top-level keys are absent.
        case absent([String])
        /// `items` has records with exactly these ids, in this order.
        case ids([String])
        case itemCount(Int)
        /// The validation error's `fields`, exactly.
        case fields([String: String])
        case header(String, String)
        case noBody
    }
}

func row(
    _ name: String, _ user: String?, _ method: HTTPRequest.Method, _ path: String, headers: [String: String] = [:],
    body: String? = nil, _ status: Int, _ expect: APIScenario.Expectation..., capture: String? = nil
) -> APIScenario {
    APIScenario(
        name: name, user: user, method: method, path: path, headers: headers, body: body, status: status,
        expect: expect, capture: capture)
}

/// Rows that run in order on one cloud because later rows use what earlier ones made (a record created, then
/// changed). Every story gets a cloud of its own, so a failure stays inside its story.
struct APIStory: Sendable, CustomTestStringConvertible {
    var name: String
    var rows: [APIScenario]

    var testDescription: String { name }
}

func story(_ name: String, _ rows: [APIScenario]) -> APIStory {
    APIStory(name: name, rows: rows)
}

/// Runs a story's rows in order against one cloud; each failure names its row. A row that should have captured an
/// id and did not ends the story there, with one failure, instead of failing every later row that uses the id.
func run(_ story: APIStory, on cloud: APICloud) async throws {
    try await run(story.rows, on: cloud)
}

/// Runs rows in order against one cloud (later rows see earlier rows' writes); each failure names its row.
func run(_ scenarios: [APIScenario], on cloud: APICloud) async throws {
    var values = cloud.subs.reduce(into: [String: String]()) { $0["\($1.key)Sub"] = $1.value }
    func fill(_ text: String) -> String {
        var text = text
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
    for scenario in scenarios {
        let response = try await cloud.send(
            scenario.method, fill(scenario.path), as: scenario.user,
            headers: scenario.headers.mapValues(fill), body: scenario.body.map(fill))
        let label = Comment(rawValue: "\(scenario.name): \(response.status.code) \(response.text)")
        #expect(Int(response.status.code) == scenario.status, label)
        let json = try? response.json()
        for expectation in scenario.expect {
            switch expectation {
            case .exact(let text):
                #expect(response.text == fill(text), label)
            case .subset(let expected):
                #expect(json.map { contains($0, fillJSON(expected, fill)) } == true, label)
            case .absent(let keys):
                for key in keys { #expect(json?[key] == nil, label) }
            case .ids(let ids):
                let actual = json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
                #expect(actual == ids.map(fill), label)
            case .itemCount(let count):
                #expect(json?["items"]?.arrayValue?.count == count, label)
            case .fields(let fields):
                #expect(json?["fields"] == .object(fields.mapValues { .string($0) }), label)
            case .header(let name, let value):
                #expect(response.headers[HTTPField.Name(name)!] == fill(value), label)
            case .noBody:
                #expect(response.body.readableBytes == 0, label)
            }
        }
        if let capture = scenario.capture {
            guard let id = json?["id"]?.stringValue else {
                Issue.record("\(scenario.name): no id to capture as {\(capture)}; the rest of the story is skipped")
                return
            }
            values[capture] = id
        }
    }
}

private func fillJSON(_ value: JSONValue, _ fill: (String) -> String) -> JSONValue {
    switch value {
    case .string(let text): return .string(fill(text))
    case .array(let items): return .array(items.map { fillJSON($0, fill) })
    case .object(let object): return .object(object.mapValues { fillJSON($0, fill) })
    default: return value
    }
}

/// Whether `actual` has every key of `expected` with an equal value (objects compared recursively).
func contains(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
    guard case .object(let expectedObject) = expected else { return actual == expected }
    guard case .object(let actualObject) = actual else { return false }
    return expectedObject.allSatisfy { key, value in actualObject[key].map { contains($0, value) } ?? false }
}
