import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-shot HTTP listener on a loopback address for an OAuth redirect (RFC 8252 §7.3): it accepts connections
/// until one asks for the expected path with a query the caller accepts, answers each with a small page, and
/// closes. Other requests (a favicon, a stray visitor, a wrong `state`) are answered and ignored, so nobody can
/// end the wait early by sending something else.
public final class LoopbackListener: @unchecked Sendable {
    private let descriptor: Int32
    public let port: Int
    public let host: String
    private let lock = NSLock()
    private var closed = false

    /// Binds `host` (127.0.0.1 unless the registered redirect says `localhost` or `[::1]`) on `port` (0: a free one).
    public init(host: String = "127.0.0.1", port: Int = 0) throws {
        let ipv6 = host == "::1" || host == "[::1]"
        let family = ipv6 ? AF_INET6 : AF_INET
        #if canImport(Glibc)
            let socketType = Int32(SOCK_STREAM.rawValue)
        #else
            let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(family, socketType | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ListenerError.cannotListen("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var bound: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ListenerError.cannotListen("port \(port): \(reason)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let actual: UInt16 =
            ipv6
            ? withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
            }
            : withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
            }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: actual))
        self.host = ipv6 ? "[::1]" : host
    }

    deinit { shut() }

    public enum ListenerError: Error, Equatable, CustomStringConvertible {
        case cannotListen(String)
        case timedOut
        case cancelled

        public var description: String {
            switch self {
            case .cannotListen(let reason): "cannot listen for the browser's answer (\(reason))"
            case .timedOut: "no answer from the browser in time"
            case .cancelled: "cancelled"
            }
        }
    }

    /// What one request to the listener looked like.
    public struct Request: Sendable, Equatable {
        public var path: String
        /// The raw query (percent-encoded).
        public var query: String

        /// A query parameter, decoded.
        public func parameter(_ name: String) -> String? {
            URLComponents(string: "http://x/?" + query)?.queryItems?.first { $0.name == name }?.value
        }
    }

    /// How to answer a request: the page, and whether the wait is over.
    public struct Answer: Sendable {
        public var status: Int
        public var page: String
        public var done: Bool

        public init(status: Int = 200, page: String, done: Bool) {
            self.status = status
            self.page = page
            self.done = done
        }
    }

    /// Serves requests until `decide` says one is done (that request is returned), the time is up, or the task is
    /// cancelled. Requests for other paths get a 404 and are not shown to `decide`.
    public func wait(
        path: String, timeout: TimeInterval, decide: @escaping @Sendable (Request) -> Answer
    ) async throws -> Request {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Request, any Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try self.serve(path: path, timeout: timeout, decide: decide) })
                }
            }
        } onCancel: {
            self.shut()
        }
    }

    /// Stops listening (the port is free again).
    public func shut() {
        let wasOpen = lock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        if wasOpen {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
        }
    }

    private var isClosed: Bool { lock.withLock { closed } }

    private func serve(path: String, timeout: TimeInterval, decide: (Request) -> Answer) throws -> Request {
        let deadline = Date().addingTimeInterval(timeout)
        defer { shut() }
        while true {
            if isClosed { throw ListenerError.cancelled }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw ListenerError.timedOut }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, Int32(min(remaining, 0.25) * 1000))
            if ready <= 0 { continue }
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else {
                if isClosed { throw ListenerError.cancelled }
                continue
            }
            defer { close(client) }
            guard let request = Self.readRequest(client) else {
                Self.respond(client, status: 400, page: "Bad request")
                continue
            }
            guard request.path == path else {
                Self.respond(client, status: 404, page: "Not found")
                continue
            }
            let answer = decide(request)
            Self.respond(client, status: answer.status, page: answer.page)
            if answer.done { return request }
        }
    }

    /// The request line of an HTTP request: at most 16 KiB, sent within 5 seconds in all (a client trickling
    /// bytes cannot hold the one-at-a-time listener longer than that).
    private static func readRequest(_ client: Int32) -> Request? {
        let deadline = Date().addingTimeInterval(5)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 16 * 1024 {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { break }
            var timeout = timeval(tv_sec: Int(remaining), tv_usec: Int((remaining - remaining.rounded(.down)) * 1e6))
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            head += buffer[0..<count]
            // Only the request line matters; the rest of the head is not read.
            if head.contains(10) { break }
        }
        return request(fromHead: head)
    }

    /// Reads the request line at the start of `head`: `GET <path>[?query] HTTP/x`; nil for anything else.
    public static func request(fromHead head: [UInt8]) -> Request? {
        guard let lineEnd = head.firstIndex(where: { $0 == 13 || $0 == 10 }) else { return nil }
        let parts = String(decoding: head[..<lineEnd], as: UTF8.self).split(separator: " ")
        guard parts.count == 3, parts[0] == "GET", parts[1].hasPrefix("/") else { return nil }
        let target = parts[1]
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return Request(path: String(pieces[0]), query: pieces.count > 1 ? String(pieces[1]) : "")
    }

    private static func respond(_ client: Int32, status: Int, page: String) {
        let body = Array(page.utf8)
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request"
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/html; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\nCache-Control: no-store\r\n"
            + "Referrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n"
            + "X-Content-Type-Options: nosniff\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// The page the browser shows once the terminal has the answer.
    public static func page(title: String, text: String) -> String {
        func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:ui-monospace,monospace;background:#0f1419;color:#e6e6e6;margin:3rem}h1{color:#39c5d6}</style>
            </head><body><h1>\(escape(title))</h1><p>\(escape(text))</p></body></html>
            """
    }
}
