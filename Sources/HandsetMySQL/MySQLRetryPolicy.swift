/// When the pool's `transaction` runs a transaction again.
public struct MySQLRetryPolicy: Sendable {
    /// Attempts in all (1: no retry).
    public var maximumAttempts: Int
    /// The wait before the second attempt; it doubles for each further one (with full jitter), up to
    /// `maximumBackoff`.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// Told about each failure that is retried (for logs and metrics), with the attempt that failed (from 1).
    public var onRetry: (@Sendable (MySQLError, Int) -> Void)?

    public init(
        maximumAttempts: Int = 5, initialBackoff: Duration = .milliseconds(5),
        maximumBackoff: Duration = .milliseconds(500), onRetry: (@Sendable (MySQLError, Int) -> Void)? = nil
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.onRetry = onRetry
    }

    public static let `default` = MySQLRetryPolicy()
    public static let never = MySQLRetryPolicy(maximumAttempts: 1)

    /// A random wait in [0, min(maximumBackoff, initialBackoff × 2^(attempt-1))].
    func backoff(afterAttempt attempt: Int) -> Duration {
        let ceiling = min(maximumBackoff, initialBackoff * (1 << min(attempt - 1, 20)))
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
