internal import IntakeCore

/// Full-jitter exponential backoff that honours a server's Retry-After.
public struct RetryPolicy: Sendable {
    /// Delay scale of the first retry.
    public var base: Duration
    /// The exponential ceiling never exceeds this.
    public var cap: Duration
    /// A server's Retry-After is honoured up to this long.
    public var maxRetryAfter: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(600), maxRetryAfter: Duration = .seconds(3600)) {
        precondition(base >= .zero && cap >= .zero, "retry durations must not be negative")
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// The ceiling for attempt `attempt` (0-based): min(cap, base·2^attempt).
    public func ceiling(attempt: Int) -> Duration {
        let capNanos = cap.clampedNanoseconds
        let baseNanos = base.clampedNanoseconds
        let shift = max(0, attempt)
        guard shift < 63 else { return cap }
        let (product, overflow) = baseNanos.multipliedReportingOverflow(by: Int64(1) << Int64(shift))
        if overflow { return cap }
        return .nanoseconds(min(product, capNanos))
    }

    /// A random delay in [0, min(cap, base·2^attempt)]; at least `retryAfter` (itself at most
    /// `maxRetryAfter`) when the server asked for one.
    public func delay(attempt: Int, retryAfter: Duration?, using rng: inout some RandomNumberGenerator) -> Duration {
        let ceilingNanos = ceiling(attempt: attempt).clampedNanoseconds
        let jitter = Duration.nanoseconds(Int64.random(in: 0...ceilingNanos, using: &rng))
        guard let retryAfter else { return jitter }
        let asked = min(max(retryAfter, .zero), maxRetryAfter)
        return max(jitter, asked)
    }

}
