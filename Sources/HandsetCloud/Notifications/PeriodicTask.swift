import Foundation
import Logging
import ServiceLifecycle

/// Work the running server repeats on a timer (the lifecycle rule, notification retention, watching for
/// notifications other processes wrote), as a service of the application: it stops at graceful shutdown.
struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("\(name) failed: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
