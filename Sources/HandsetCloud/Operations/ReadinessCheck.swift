import Foundation

/// Whether this instance can serve: its database answers and its schema is the one this build expects. `GET /readyz`
/// asks it at every call, so a load balancer stops sending requests to an instance that lost its database.
public struct ReadinessCheck: Sendable {
    /// Throws `ReadinessFailure` (or any error) when the instance cannot serve.
    public let check: @Sendable () async throws -> Void

    public init(_ check: @escaping @Sendable () async throws -> Void) {
        self.check = check
    }

    /// Ready as long as the process runs (router tests of components without a database).
    public static let always = ReadinessCheck {}
}

/// Why an instance is not ready, in words an operator can act on (no secrets: the answer is public).
public struct ReadinessFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
