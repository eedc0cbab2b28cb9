/// A token bucket's size and refill rate. API Gateway's defaults: 10,000 requests per second steady, bursts of 5,000.
public struct ThrottleConfiguration: Sendable, Equatable {
    /// Tokens added per second.
    public var rate: Double
    /// The bucket's size: how many requests may arrive at once after a quiet spell.
    public var burst: Int

    public init(rate: Double = 10_000, burst: Int = 5_000) {
        self.rate = rate
        self.burst = burst
    }
}
