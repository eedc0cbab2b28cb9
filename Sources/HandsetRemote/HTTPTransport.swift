import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request, independent of the library that sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    public var timeout: TimeInterval

    public init(
        method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 15
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends HTTP requests. The live value uses URLSession (libcurl on Linux); tests use an in-memory server.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// The transport could not get any HTTP answer.
public struct TransportError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case unreachable, timedOut, other }
    public var kind: Kind
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// HTTP through URLSession.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let configuration: URLSessionConfiguration

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.configuration = configuration
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        // Set through the property: on Linux, URLRequest(url:timeoutInterval:) leaves the timeout marked unset and
        // every request waits the default 60 s.
        urlRequest.timeoutInterval = request.timeout
        urlRequest.httpMethod = request.method
        // A POST on a reused connection that the server drops is re-sent by libcurl on a new one without its body,
        // and then hangs until the timeout. POSTs therefore never reuse a connection: each goes through a session of
        // its own (no pool to reuse from), so a drop fails at once and our own retry (with its Idempotency-Key)
        // sends the request again properly.
        let oneShot = !RetryPolicy.isIdempotent(method: request.method, headers: [:])
        if oneShot { urlRequest.setValue("close", forHTTPHeaderField: "Connection") }
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        do {
            let using = oneShot ? URLSession(configuration: configuration) : session
            defer { if oneShot { using.finishTasksAndInvalidate() } }
            let (data, response) = try await using.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw TransportError(kind: .other, detail: "not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as URLError {
            switch error.code {
            case .timedOut:
                throw TransportError(kind: .timedOut, detail: "no answer from \(request.url.host ?? "server") in time")
            case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet,
                .dnsLookupFailed:
                throw TransportError(kind: .unreachable, detail: "cannot reach \(request.url.host ?? "server")")
            default:
                throw TransportError(kind: .other, detail: error.localizedDescription)
            }
        }
    }
}
