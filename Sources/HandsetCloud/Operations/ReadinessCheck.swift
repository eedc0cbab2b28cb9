import Foundation
import HandsetCloudStorage

/// Whether this instance can serve: its database answers and its schema is the one this build expects. `GET /readyz`
/// asks it at every call, so a load balancer stops sending requests to an instance that lost its database.
struct ReadinessCheck: Sendable {
    /// Throws `StorageNotReady` (or any error) when the instance cannot serve.
    let check: @Sendable () async throws -> Void

    init(_ check: @escaping @Sendable () async throws -> Void) {
        self.check = check
    }

    /// Ready as long as the process runs (router tests of components without a database).
    static let always = ReadinessCheck {}
}
