import ServiceLifecycle

/// Runs for as long as the server: at a graceful shutdown (or a cancellation), writes the request log's buffered
/// lines before the process goes on to exit, so a clean shutdown loses none.
struct RequestLogFlush: Service {
    let writer: RequestLogWriter

    func run() async throws {
        try? await gracefulShutdown()
        await writer.close()
    }
}
