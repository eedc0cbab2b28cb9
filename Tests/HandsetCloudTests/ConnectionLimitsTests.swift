import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 12, item 11: half-sent requests, trickled bodies and crowds of connections against a real listening server.
@Suite("HTTP server: slow and silent clients")
struct ConnectionLimitsTests {
    static let limits = ConnectionLimits(
        idleTimeout: .seconds(1), bodyGrace: .seconds(1), minimumBodyBytesPerSecond: 1000, maximumConnections: 40)

    /// A real listening server with these limits, and the port it listens on.
    func withLiveCloud(
        limits: ConnectionLimits = Self.limits, _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let box = EndpointsBox()
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: false, connectionLimits: limits, logLevel: .critical,
                onListening: { box.endpoints = $0 }))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            let deadline = ContinuousClock.now + .seconds(30)
            while box.endpoints == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let port = try #require(box.endpoints?.port)
            do {
                try await body(port)
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    @Test("half-sent request heads do not hold their connections past the idle timeout")
    func halfSentHeads() async throws {
        try await withLiveCloud { port in
            let sockets = try (0..<30).map { _ in try TestSocket(port: port) }
            for socket in sockets { try socket.send("GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow:") }
            for (index, socket) in sockets.enumerated() {
                #expect(await offPool { socket.waitForClose(within: .seconds(30)) }, "connection \(index) still open")
            }
            // The server still answers.
            let fresh = try TestSocket(port: port)
            try fresh.send("GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(await offPool { fresh.readAll(within: .seconds(10)) }.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("a body trickled a byte at a time (never idle) is cut off")
    func trickledBody() async throws {
        try await withLiveCloud { port in
            let socket = try TestSocket(port: port)
            try socket.send(
                "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: 100000\r\n\r\n")
            let deadline = ContinuousClock.now + .seconds(15)
            var closed = false
            while ContinuousClock.now < deadline {
                // 1 byte every 200 ms: well inside the idle timeout, far below the minimum rate.
                if (try? socket.send("{")) == nil {
                    closed = true
                    break
                }
                if await offPool({ socket.waitForClose(within: .milliseconds(200)) }) {
                    closed = true
                    break
                }
            }
            #expect(closed, "the trickle kept its connection for 15 s")
        }
    }

    @Test("past the connection limit, new connections wait until one closes")
    func connectionLimit() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(3), maximumConnections: 3)
        try await withLiveCloud(limits: limits) { port in
            let held = try (0..<3).map { _ in try TestSocket(port: port) }
            // Give the server a moment to accept the three.
            try await Task.sleep(for: .milliseconds(300))
            let waiting = try TestSocket(port: port)
            try waiting.send("GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(
                !(await offPool { waiting.hasData(within: .milliseconds(500)) }), "answered while the limit was reached"
            )
            held[0].close()
            #expect(await offPool { waiting.readAll(within: .seconds(10)) }.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("the gauge counts connections and remembers the peak until asked")
    func gauge() {
        let gauge = ConnectionGauge()
        var limit = GaugedConnectionLimit(gauge: gauge, maximum: 2)
        limit.connectionOpened()
        limit.connectionOpened()
        #expect(!limit.isAcceptingNewConnections())
        limit.connectionClosed()
        #expect(limit.isAcceptingNewConnections())
        limit.connectionClosed()
        #expect(gauge.takePeak() == 2)
        #expect(gauge.takePeak() == 0)
    }

    @Test("more than 100 header fields is refused")
    func headerCount() async throws {
        try await withLiveCloud { port in
            let socket = try TestSocket(port: port)
            let fields = (0..<150).map { "X-Field-\($0): v\r\n" }.joined()
            try socket.send("GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\(fields)Connection: close\r\n\r\n")
            let answer = await offPool { socket.readAll(within: .seconds(10)) }
            #expect(!answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(80))")
        }
    }
}

/// Runs blocking socket calls on a thread of their own: on the few threads of the cooperative pool they would keep
/// the server under test (whose handlers need those threads) from answering.
func offPool<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A blocking TCP socket to 127.0.0.1, for what HTTP clients will not do: stop halfway, trickle, hold on.
final class TestSocket: @unchecked Sendable {
    struct Failure: Error {}
    private var descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw Failure()
        }
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure() }
            offset += written
        }
    }

    /// Whether bytes (or the end of the stream) arrive within `timeout`.
    func hasData(within timeout: Duration) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let parts = timeout.components
        let milliseconds = Int32(clamping: max(0, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000))
        return poll(&entry, 1, milliseconds) > 0
    }

    /// True once the server has closed the connection (reads return 0 or fail), within `timeout`.
    func waitForClose(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            guard hasData(within: deadline - ContinuousClock.now) else { return false }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count <= 0 { return true }
        }
        return false
    }

    /// Everything the server sends until it closes or `timeout` passes.
    func readAll(within timeout: Duration) -> String {
        let deadline = ContinuousClock.now + timeout
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline, hasData(within: deadline - ContinuousClock.now) {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
