import Foundation
import HandsetModel
import HandsetWire

/// Calls the REST API with the signed-in user's ID token, as API Gateway's Cognito authorizer expects.
public struct APIClient: Sendable {
    public let configuration: ClientConfiguration
    private let transport: any HTTPTransport
    private let session: SessionManager
    /// This installation's id, sent as `X-Handset-Device` so the server can tell a user's devices apart (for
    /// "changed on another device" notifications). Not a secret.
    private let deviceId: String?
    /// How long to wait for any one answer.
    public let timeout: TimeInterval
    /// Which token goes in `Authorization`.
    public let authorization: AuthorizationToken
    public let retry: RetryPolicy
    /// The user (Cognito `sub`) whose data this client moves; `nil` for calls that belong to nobody (the API
    /// document). A bound client never sends with another user's token.
    public private(set) var user: String?

    public init(
        configuration: ClientConfiguration, transport: any HTTPTransport, session: SessionManager,
        deviceId: String? = nil,
        timeout: TimeInterval = 30, authorization: AuthorizationToken = .id, retry: RetryPolicy = RetryPolicy()
    ) {
        self.configuration = configuration
        self.transport = transport
        self.session = session
        self.deviceId = deviceId
        self.timeout = timeout
        self.authorization = authorization
        self.retry = retry
    }

    /// This client for one user's data: its authorized calls fail as an expired session once someone else signs in.
    public func bound(to user: String, deviceId: String?) -> APIClient {
        var client = APIClient(
            configuration: configuration, transport: transport, session: session, deviceId: deviceId ?? self.deviceId,
            timeout: timeout, authorization: authorization, retry: retry)
        client.user = user
        return client
    }

    /// The API's OpenAPI document.
    public func fetchDocument() async throws -> JSONValue {
        let response = try await send("GET", path: "openapi.json", authorized: false)
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw RemoteError.badResponse("openapi.json is not JSON")
        }
    }

    /// One record, or nil when the API has none for the caller (it says 404 alike for a record that is gone and one
    /// no rule lets the caller read).
    public func record(collection: String, id: String) async throws -> Record? {
        let response: HTTPResponse
        do {
            response = try await send("GET", path: "\(collection)/\(id)", authorized: true)
        } catch RemoteError.http(404, _) {
            return nil
        }
        guard let value = try? JSONValue.parse(response.body), let record = Record(json: value) else {
            throw RemoteError.badResponse("the \(collection) record could not be read")
        }
        return record
    }

    /// One page of a collection's change feed after `since` (from the start when nil).
    public func changes(collection: String, since: String?, limit: Int = 500) async throws -> ChangeFeedPage {
        var query = [URLQueryItem(name: "limit", value: String(limit))]
        if let since { query.append(URLQueryItem(name: "since", value: since)) }
        let response = try await send("GET", path: "\(collection)/\(APIRoute.changes)", query: query, authorized: true)
        do {
            // Parsed once by `JSONParser`; Foundation's decoder would try each type in turn for every value of
            // every record (a third of a first sync's time).
            return try JSONValueDecoder().decode(ChangeFeedPage.self, from: response.body)
        } catch {
            throw RemoteError.badResponse("the \(collection) change feed could not be read")
        }
    }

    /// Sends many writes in one request; one result per operation, in order. `idempotencyKey` (a fresh one when
    /// nil) lets a later sync send the same request again and get the first answer back.
    public func batch(
        collection: String, _ request: BatchRequest, idempotencyKey: String? = nil
    ) async throws -> BatchResponse {
        let body = try JSONEncoder().encode(request)
        // The key makes the POST safe to send again after a dropped answer (the server replays its first answer).
        let response = try await send(
            "POST", path: "\(collection)/\(APIRoute.batch)", authorized: true, body: body,
            extraHeaders: [APIHeader.idempotencyKey: idempotencyKey ?? UUID().uuidString.lowercased()])
        do {
            let answer = try JSONValueDecoder().decode(BatchResponse.self, from: response.body)
            guard answer.results.count == request.operations.count else {
                throw RemoteError.badResponse(
                    "the batch answer has \(answer.results.count) results for \(request.operations.count) writes")
            }
            return answer
        } catch let error as RemoteError {
            throw error
        } catch {
            throw RemoteError.badResponse("the \(collection) batch answer could not be read")
        }
    }

    /// The caller's notifications after `since`; with `wait` > 0 the server holds the request until one arrives.
    public func inbox(since: String?, wait: Int, limit: Int = 100) async throws -> InboxPage {
        var query = [
            URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "wait", value: String(wait)),
        ]
        if let since { query.append(URLQueryItem(name: "since", value: since)) }
        let response = try await send(
            "GET", path: NotificationRoute.inbox, query: query, authorized: true, timeout: TimeInterval(wait) + timeout)
        do {
            return try JSONDecoder().decode(InboxPage.self, from: response.body)
        } catch {
            throw RemoteError.badResponse("the inbox could not be read")
        }
    }

    /// Marks one notification read, or all of them when `id` is nil.
    public func markRead(_ id: String?) async throws {
        let path =
            id.map { "\(NotificationRoute.inbox)/\($0)/read" }
            ?? "\(NotificationRoute.inbox)/\(NotificationRoute.readAll)"
        _ = try await send("POST", path: path, authorized: true, body: Data("{}".utf8))
    }

    func send(
        _ method: String, path: String, query: [URLQueryItem] = [], authorized: Bool, body: Data? = nil,
        extraHeaders: [String: String] = [:], timeout: TimeInterval? = nil
    ) async throws -> HTTPResponse {
        var components = URLComponents(
            url: configuration.apiEndpoint.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else { throw RemoteError.badResponse("bad URL for \(path)") }
        let mayRetry = RetryPolicy.isIdempotent(method: method, headers: extraHeaders)
        var retriedAfterRefresh = false
        var attempt = 1
        while true {
            var headers = extraHeaders
            headers["Accept"] = "application/json"
            if body != nil { headers["Content-Type"] = "application/json" }
            if let deviceId { headers["X-Handset-Device"] = deviceId }
            if authorized { headers["Authorization"] = try await session.validToken(authorization, for: user) }
            let response: HTTPResponse
            do {
                response = try await transport.send(
                    HTTPRequest(
                        method: method, url: url, headers: headers, body: body, timeout: timeout ?? self.timeout))
            } catch let error as TransportError {
                if mayRetry, RetryPolicy.isRetryable(error), attempt < retry.maximumAttempts {
                    await retry.sleep(retry.delay(afterAttempt: attempt))
                    attempt += 1
                    continue
                }
                throw RemoteError.from(error)
            } catch {
                throw RemoteError.from(error)
            }
            if response.status == 401, authorized, !retriedAfterRefresh {
                // The token may have been revoked or the clock skewed: refresh once, then give up.
                retriedAfterRefresh = true
                try await session.forceRefresh(for: user)
                continue
            }
            if mayRetry, RetryPolicy.isRetryable(status: response.status), attempt < retry.maximumAttempts {
                await retry.sleep(retry.delay(afterAttempt: attempt, retryAfter: response.header("Retry-After")))
                attempt += 1
                continue
            }
            guard (200..<300).contains(response.status) else {
                throw Self.error(for: response)
            }
            return response
        }
    }

    static func error(for response: HTTPResponse) -> RemoteError {
        if response.status == 401 { return .sessionExpired }
        if let body = try? JSONDecoder().decode(APIErrorBody.self, from: response.body) {
            return .http(status: response.status, message: body.message)
        }
        let isHTML = response.header("Content-Type")?.contains("html") ?? false
        return .http(
            status: response.status,
            message: isHTML
                ? "The server answered \(response.status) with a web page instead of JSON"
                : "The server answered \(response.status)")
    }
}
