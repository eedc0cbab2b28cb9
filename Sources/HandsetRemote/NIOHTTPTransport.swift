import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Plain-HTTP/1.1 requests over SwiftNIO, for `http://` endpoints (the local cloud, a cloud behind a TLS-terminating
/// proxy on the same host).
///
/// Why not URLSession here: on Linux, FoundationNetworking drives libcurl through libdispatch sources, with a manager
/// thread and an `epoll_ctl`/`eventfd` round per wake-up; while a `_batch` POST waited for its answer that machinery
/// spent seconds of system CPU (a seed of 10k records: 4.2-10.6 s against 0.1-1.1 s here), taken from the cloud on
/// the same cores, and the outbox drain of 1,000 edits took 2.43 s against 1.47 s (README, "Performance"). For the
/// change-feed pages of a first sync it made no measurable difference: the device's writes are what that waits on.
/// This reads a whole answer on one NIO event loop into one buffer.
///
/// Each request has a connection of its own; after a complete keep-alive answer the connection waits in a pool for
/// the next request to the same host and port. A request on a pooled connection that the server had closed while it
/// was idle is sent once more on a fresh connection when nothing of an answer came back and either nothing of the
/// request was written or the request is safe to repeat (`RetryPolicy.isIdempotent`). Requests that are not are sent
/// on fresh connections only (as `URLSessionTransport` does), so a stale connection never leaves one in doubt.
/// Redirects are not followed: a 3xx is the answer. The timeout is an idle timeout, as URLSession's: it runs from the
/// request and from each read, and covers connecting.
public final class NIOHTTPTransport: HTTPTransport {
    private let group: any EventLoopGroup
    private let idle = NIOLockedValueBox([String: [NIOHTTPConnection]]())
    /// Idle connections kept per host and port; more are closed after their answer.
    private let maximumIdlePerHost: Int

    public init(maximumIdlePerHost: Int = 8) {
        group = MultiThreadedEventLoopGroup.singleton
        self.maximumIdlePerHost = maximumIdlePerHost
    }

    deinit {
        for connection in idle.withLockedValue({ $0.values.flatMap { $0 } }) { connection.close() }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme?.lowercased() == "http", let host = request.url.host, !host.isEmpty else {
            throw TransportError(
                kind: .other, detail: "\(request.url.scheme ?? "this") URLs are not sent over plain HTTP")
        }
        let port = request.url.port ?? 80
        let key = "\(host):\(port)"
        let head = Self.head(for: request, host: host, port: port)
        let body = request.body.map { ByteBuffer(bytes: $0) }
        let timeout = TimeAmount.nanoseconds(Int64(max(request.timeout, 0.001) * 1_000_000_000))
        let idempotent = RetryPolicy.isIdempotent(method: request.method, headers: request.headers)

        var pooled = idempotent ? takeIdle(key) : nil
        while true {
            let connection: NIOHTTPConnection
            if let reused = pooled {
                connection = reused
            } else {
                do {
                    connection = try await NIOHTTPConnection.connect(
                        host: host, port: port, timeout: timeout, group: group)
                } catch {
                    if Task.isCancelled { throw CancellationError() }
                    throw Self.connectError(error, host: host)
                }
            }
            do {
                let answer = try await connection.exchange(head: head, body: body, timeout: timeout)
                if answer.head.isKeepAlive, connection.isOpen {
                    putIdle(connection, key: key)
                } else {
                    connection.close()
                }
                return Self.response(from: answer)
            } catch let failure as ExchangeFailure {
                connection.close()
                if Task.isCancelled { throw CancellationError() }
                if pooled != nil, Self.mayResend(after: failure, idempotent: idempotent) {
                    // The server closed this connection while it waited in the pool: once more, on a fresh one.
                    pooled = nil
                    continue
                }
                throw Self.error(for: failure, host: host)
            }
        }
    }

    /// Whether a request that failed on a pooled connection may go once more on a fresh one.
    static func mayResend(after failure: ExchangeFailure, idempotent: Bool) -> Bool {
        switch failure {
        case .writeFailed: return true
        case .connectionClosed(let receivedHead): return !receivedHead && idempotent
        case .malformed, .timedOut, .cancelled: return false
        }
    }

    private func takeIdle(_ key: String) -> NIOHTTPConnection? {
        while let connection = idle.withLockedValue({ $0[key]?.popLast() }) {
            if connection.isOpen { return connection }
            connection.close()
        }
        return nil
    }

    private func putIdle(_ connection: NIOHTTPConnection, key: String) {
        let kept = idle.withLockedValue { pool -> Bool in
            guard pool[key, default: []].count < maximumIdlePerHost else { return false }
            pool[key, default: []].append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    static func head(for request: HTTPRequest, host: String, port: Int) -> HTTPRequestHead {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? ""
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 4)
        headers.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
        headers.add(name: "User-Agent", value: "handset")
        for (name, value) in request.headers { headers.replaceOrAdd(name: name, value: value) }
        let method = HTTPMethod(rawValue: request.method.uppercased())
        if let body = request.body {
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        } else if method == .POST || method == .PUT || method == .PATCH {
            headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        return HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers)
    }

    static func response(from answer: CollectedResponse) -> HTTPResponse {
        var headers: [String: String] = [:]
        for (name, value) in answer.head.headers {
            // Repeated fields are joined, as URLSession joins them.
            if let earlier = headers[name] { headers[name] = earlier + ", " + value } else { headers[name] = value }
        }
        let body = answer.body.withUnsafeReadableBytes { Data($0) }
        return HTTPResponse(status: Int(answer.head.status.code), headers: headers, body: body)
    }

    /// A failed connect, as `URLSessionTransport` reports one: no server there is "unreachable", too slow "timed out".
    static func connectError(_ error: any Error, host: String) -> TransportError {
        if case ChannelError.connectTimeout = error {
            return TransportError(kind: .timedOut, detail: "no answer from \(host) in time")
        }
        if let connection = error as? NIOConnectionError,
            connection.connectionErrors.contains(where: { isTimeout($0.error) })
        {
            return TransportError(kind: .timedOut, detail: "no answer from \(host) in time")
        }
        return TransportError(kind: .unreachable, detail: "cannot reach \(host)")
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        if case ChannelError.connectTimeout = error { return true }
        return false
    }

    static func error(for failure: ExchangeFailure, host: String) -> TransportError {
        switch failure {
        case .connectionClosed, .writeFailed:
            // URLSession's "network connection lost".
            return TransportError(kind: .unreachable, detail: "the connection to \(host) was lost")
        case .timedOut:
            return TransportError(kind: .timedOut, detail: "no answer from \(host) in time")
        case .malformed(let detail):
            return TransportError(kind: .other, detail: "\(host) sent an answer that is not HTTP: \(detail)")
        case .cancelled:
            return TransportError(kind: .other, detail: "cancelled")
        }
    }
}
