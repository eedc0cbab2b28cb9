import Foundation

/// When and how long to wait before sending a request again.
///
/// Only requests that are safe to repeat are retried: GET, HEAD, PUT and DELETE, and POSTs carrying an
/// `Idempotency-Key`. Only answers that say nothing about the request are retried: no connection at all, a
/// dropped connection, 429, 502, 503 and 504. A timeout is not retried (the timeout is the person's limit on
/// waiting). Delays grow exponentially with full jitter (a random wait between 0 and the cap), and a
/// `Retry-After` of a few seconds is honoured.
public struct RetryPolicy: Sendable {
    public var maximumAttempts: Int
    public var baseDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// A number in 0..<1 (injected so tests are deterministic).
    public var random: @Sendable () -> Double
    public var sleep: @Sendable (TimeInterval) async -> Void

    public init(
        maximumAttempts: Int = 3, baseDelay: TimeInterval = 0.25, maximumDelay: TimeInterval = 4,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        sleep: @escaping @Sendable (TimeInterval) async -> Void = { seconds in
            try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
        }
    ) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.random = random
        self.sleep = sleep
    }

    /// No retries at all.
    public static let never = RetryPolicy(maximumAttempts: 1)

    /// Whether a request may be sent twice without changing its effect.
    public static func isIdempotent(method: String, headers: [String: String]) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": return true
        default: return headers.keys.contains { $0.caseInsensitiveCompare("Idempotency-Key") == .orderedSame }
        }
    }

    /// Whether the status says "try again later" rather than anything about the request.
    public static func isRetryable(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// Whether the transport failure happened before any answer could have been acted on by a client.
    public static func isRetryable(_ error: TransportError) -> Bool {
        error.kind != .timedOut
    }

    /// How long to wait before attempt `attempt + 1` (attempt counts from 1), given a `Retry-After` header.
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil) -> TimeInterval {
        if let retryAfter, let seconds = TimeInterval(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return min(seconds, maximumDelay)
        }
        let cap = min(maximumDelay, baseDelay * pow(2, Double(attempt - 1)))
        return cap * random()
    }
}
