import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import ServiceLifecycle
import Synchronization

extension ApplicationProtocol {
    /// Runs `test` against this application, reached as `setup` says, with the application's services running
    /// beside it; they are shut down gracefully when `test` returns or throws.
    func test<Value: Sendable>(
        _ setup: TestingSetup, _ test: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        switch setup {
        case .router:
            let client = RouterTestClient(responder: try await responder, logger: logger)
            return try await withServices(services, before: processesRunBeforeServerStart) {
                try await test(client)
            }
        case .live:
            let application = LiveTestApplication(base: self)
            let stopped: @Sendable () -> Void = { application.port.open(with: nil) }
            return try await withServices([application], before: [], whenStopped: stopped) {
                guard let port = await application.port.value() else { throw LiveTestError.serverDidNotStart }
                return try await test(LiveTestClient(port: port))
            }
        }
    }
}

enum LiveTestError: Error {
    case serverDidNotStart
    case responseWithoutHead
    case connectionClosedEarly
}

/// Runs `services` in a service group, waits until it runs them (after the processes to run `before`), runs
/// `body`, then shuts the group down and waits for it. `whenStopped` runs when the group ends, however it ends.
private func withServices<Value: Sendable>(
    _ services: [any Service], before: [@Sendable () async throws -> Void],
    whenStopped: @escaping @Sendable () -> Void = {}, _ body: () async throws -> Value
) async throws -> Value {
    for process in before { try await process() }
    if services.isEmpty { return try await body() }
    let started = Gate<Void>()
    let group = ServiceGroup(
        configuration: .init(
            services: services + [StartedSignal(gate: started)], logger: Logger(label: "handset.tests.services")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { whenStopped() }
            try await group.run()
        }
        do {
            await started.value()
            let value = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Opens `gate` once the service group runs it (the group starts its services in the order given), then waits
/// for the shutdown.
private struct StartedSignal: Service {
    let gate: Gate<Void>

    func run() async throws {
        gate.open(with: ())
        try? await gracefulShutdown()
    }
}

/// A value that arrives once; waiters before it wait, waiters after it get it at once.
final class Gate<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, Never>])
        case open(Value)
    }

    private let state = Mutex(State.waiting([]))

    func open(with value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .open(value)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Value? in
                switch state {
                case .open(let value):
                    return value
                case .waiting(let waiters):
                    state = .waiting(waiters + [continuation])
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Hands each request straight to the responder, as the server would after parsing it: a context over a channel
/// that is not connected anywhere, the body as one buffer. What the responder throws answers 500 (the cloud's
/// error middleware turns its own errors into answers before that).
private struct RouterTestClient<Responder: HTTPResponder>: TestClientProtocol
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let logger: Logger

    var port: Int? { nil }

    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer()))
        let context = Responder.Context(
            source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch {
            response = Response(status: .internalServerError)
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        return TestResponse(head: response.head, body: collector.body.withLock { $0 })
    }
}

/// Gathers a response body as the responder writes it.
private final class BodyCollector: ResponseBodyWriter, Sendable {
    let body = Mutex(ByteBuffer())

    func write(_ buffer: ByteBuffer) async throws {
        body.withLock { $0.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// The application as configured, except that it tells the test the port it listens on.
private struct LiveTestApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder

    let base: Base
    let port = Gate<Int?>()

    var responder: Responder { get async throws { try await base.responder } }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        port.open(with: channel.localAddress?.port ?? 0)
    }
}
