import Foundation

/// A token bucket: starts full, refills at `rate` per second up to `burst`, and each request takes one token.
final class TokenBucket: @unchecked Sendable {
    private let lock = NSLock()
    private let rate: Double
    private let capacity: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let now: @Sendable () -> ContinuousClock.Instant

    init(
        _ configuration: ThrottleConfiguration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.rate = max(configuration.rate, 0)
        self.capacity = Double(max(configuration.burst, 1))
        self.tokens = capacity
        self.now = now
        self.last = now()
    }

    /// Takes a token if there is one.
    func take() -> Bool {
        let instant = now()
        return lock.withLock {
            let elapsed = last.duration(to: instant)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds > 0 {
                tokens = min(capacity, tokens + seconds * rate)
                last = instant
            }
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }
}
