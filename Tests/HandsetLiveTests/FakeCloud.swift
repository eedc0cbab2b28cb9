import Foundation
import HandsetModel
import HandsetRemote
import HandsetWire

/// An in-memory stand-in for Cognito and the API, for unit tests of the client layers above HTTP.
/// (The real local cloud is exercised by the end-to-end tests.)
final class FakeCloud: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var _records: [String: [JSONValue]] = [:]
    private var _validIDTokens: Set<String> = []
    private var _refreshCalls = 0
    private var _refreshAccepted = true
    private var _reachable = true
    private var issued = 0
    private var _revokedRefreshTokens: [String] = []
    private var _globalSignOuts = 0
    var password = "right-password"
    /// The app client's secret, if it has one: RevokeToken then needs it, as Cognito's does.
    let clientSecret: String?

    init(clientSecret: String? = nil) {
        self.clientSecret = clientSecret
    }

    static let configuration = ClientConfiguration(
        region: "us-east-1", userPoolId: "us-east-1_TEST", clientId: "client",
        cognitoEndpoint: URL(string: "http://fake.invalid/")!, apiEndpoint: URL(string: "http://fake.invalid/api")!)

    /// The configuration of a client that has this cloud's secret (if any).
    var clientConfiguration: ClientConfiguration {
        var configuration = Self.configuration
        configuration.clientSecret = clientSecret
        return configuration
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    var refreshCalls: Int { withLock { _refreshCalls } }
    var revokedRefreshTokens: [String] { withLock { _revokedRefreshTokens } }
    var globalSignOuts: Int { withLock { _globalSignOuts } }
    func setReachable(_ value: Bool) { withLock { _reachable = value } }
    func setRefreshAccepted(_ value: Bool) { withLock { _refreshAccepted = value } }
    func setRecords(_ collection: String, _ records: [JSONValue]) { withLock { _records[collection] = records } }
    func revokeAllIDTokens() { withLock { _validIDTokens.removeAll() } }

    /// A JWT-shaped token whose payload the client can read (the fake does not sign).
    func makeIDToken(username: String) -> String {
        issued += 1
        let payload: JSONValue = [
            "sub": .string("sub-\(username)"), "cognito:username": .string(username), "token_use": "id",
            "n": .number(Double(issued)),
        ]
        let encoded = payload.encoded().base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let token = "eyJhbGciOiJSUzI1NiJ9.\(encoded).sig"
        _validIDTokens.insert(token)
        return token
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try withLock {
            guard _reachable else { throw TransportError(kind: .unreachable, detail: "cannot reach fake.invalid") }
            if request.url.path == "/" { return try cognito(request) }
            return api(request)
        }
    }

    private func cognito(_ request: HTTPRequest) throws -> HTTPResponse {
        func error(_ type: String, _ message: String) -> HTTPResponse {
            HTTPResponse(status: 400, body: try! JSONEncoder().encode(CognitoErrorBody(type: type, message: message)))
        }
        switch request.headers[CognitoWire.targetHeader] {
        case CognitoWire.targetPrefix + "RevokeToken":
            let body = try JSONValue.parse(request.body ?? Data())
            guard body["ClientId"]?.stringValue == Self.configuration.clientId,
                body["ClientSecret"]?.stringValue == clientSecret
            else { return error("NotAuthorizedException", "Client is not authorized to revoke this token") }
            _revokedRefreshTokens.append(body["Token"]?.stringValue ?? "")
            return HTTPResponse(status: 200, body: Data("{}".utf8))
        case CognitoWire.targetPrefix + "GlobalSignOut":
            _globalSignOuts += 1
            return HTTPResponse(status: 200, body: Data("{}".utf8))
        default:
            break
        }
        let body = try JSONDecoder().decode(InitiateAuthRequest.self, from: request.body ?? Data())
        switch body.authFlow {
        case CognitoAuthFlow.userPassword:
            guard body.authParameters["PASSWORD"] == password else {
                return error("NotAuthorizedException", "Incorrect username or password.")
            }
            let result = AuthenticationResult(
                accessToken: "access", idToken: makeIDToken(username: body.authParameters["USERNAME"] ?? ""),
                refreshToken: "refresh-1", expiresIn: 3600)
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(AuthResponse(authenticationResult: result)))
        case CognitoAuthFlow.refreshToken:
            _refreshCalls += 1
            guard _refreshAccepted, body.authParameters["REFRESH_TOKEN"] == "refresh-1" else {
                return error("NotAuthorizedException", "Refresh Token has been revoked")
            }
            let result = AuthenticationResult(
                accessToken: "access", idToken: makeIDToken(username: "alice"), refreshToken: nil, expiresIn: 3600)
            return HTTPResponse(status: 200, body: try JSONEncoder().encode(AuthResponse(authenticationResult: result)))
        default:
            return error("InvalidParameterException", "unsupported")
        }
    }

    private func api(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.url.path
        if path == "/api/openapi.json" {
            let document: JSONValue = [
                "openapi": "3.0.3", "info": ["title": "Fake", "version": "1"], "paths": ["/tasks": [:]],
                "components": [
                    "schemas": [
                        "Task": [
                            "x-handset-collection": "tasks", "x-handset-title": "title",
                            "properties": ["title": ["type": "string"]],
                        ]
                    ]
                ],
            ]
            return HTTPResponse(status: 200, body: document.encoded())
        }
        guard let token = request.headers["Authorization"], _validIDTokens.contains(token) else {
            return HTTPResponse(status: 401, body: Data(#"{"message":"Unauthorized"}"#.utf8))
        }
        let segments = path.dropFirst("/api/".count).split(separator: "/").map(String.init)
        let collection = segments.first ?? ""
        guard let all = _records[collection] else {
            return HTTPResponse(status: 404, body: Data(#"{"message":"Not found"}"#.utf8))
        }
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        if segments.count == 2, segments[1] == APIRoute.changes {
            let since = components?.queryItems?.first { $0.name == "since" }?.value.flatMap(Int.init) ?? 0
            let limit = components?.queryItems?.first { $0.name == "limit" }?.value.flatMap(Int.init) ?? 50
            let end = min(since + limit, all.count)
            let page = ChangeFeedPage(items: Array(all[since..<end]), cursor: String(end), hasMore: end < all.count)
            return HTTPResponse(status: 200, body: try! JSONEncoder().encode(page))
        }
        if segments.count == 2, segments[1] == APIRoute.batch {
            let batch = try! JSONDecoder().decode(BatchRequest.self, from: request.body ?? Data())
            var records = all
            let results = batch.operations.map { operation -> BatchResult in
                var body = operation.body?.objectValue ?? [:]
                body["id"] = .string(operation.id ?? UUID().uuidString)
                body["version"] = .number(Double((operation.ifMatch ?? 0) + 1))
                body["updatedAt"] = "2026-11-27T10:00:00.000Z"
                body["owner"] = "sub-alice"
                records.append(.object(body))
                return BatchResult(status: operation.op == .create ? 201 : 200, record: .object(body))
            }
            _records[collection] = records
            return HTTPResponse(status: 200, body: try! JSONEncoder().encode(BatchResponse(results: results)))
        }
        let limit = components?.queryItems?.first { $0.name == "limit" }?.value.flatMap(Int.init) ?? 50
        let start = components?.queryItems?.first { $0.name == "cursor" }?.value.flatMap(Int.init) ?? 0
        let end = min(start + limit, all.count)
        let page = RecordPage(items: Array(all[start..<end]), nextCursor: end < all.count ? String(end) : nil)
        return HTTPResponse(status: 200, body: try! JSONEncoder().encode(page))
    }
}
