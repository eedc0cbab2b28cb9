import Foundation

/// How the record API behaves: which document it serves, and its limits.
public struct APIConfiguration: Sendable {
    /// An OpenAPI document (JSON) to serve instead of the built-in demo team app.
    public var documentFile: URL?
    /// Request bodies over this many bytes get 413 (API Gateway's own limit is 10 MB).
    public var bodyLimit: Int
    /// Throttling of every `/api` request, as API Gateway's stage defaults do; `nil` turns it off.
    public var throttle: ThrottleConfiguration?
    /// How long an Idempotency-Key is remembered.
    public var idempotencyKeyLifetime: TimeInterval

    public static let defaultBodyLimit = 1_048_576

    public init(
        documentFile: URL? = nil, bodyLimit: Int = APIConfiguration.defaultBodyLimit,
        throttle: ThrottleConfiguration? = ThrottleConfiguration(), idempotencyKeyLifetime: TimeInterval = 86_400
    ) {
        self.documentFile = documentFile
        self.bodyLimit = bodyLimit
        self.throttle = throttle
        self.idempotencyKeyLifetime = idempotencyKeyLifetime
    }
}
