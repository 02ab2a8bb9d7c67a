/// Duration in the units C calls, timers and printed configuration want: written once here.
extension Duration {
    /// The duration in seconds, for `Date` arithmetic and timeouts.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Whole milliseconds, truncated (negative for a negative duration).
    public var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Whole nanoseconds, clamped to 0...Int64.max (a backoff delay or a timer never goes negative).
    public var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (s, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? 0 : Int64.max }
        let (sum, overflow2) = s.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return Int64.max }
        return max(0, sum)
    }
}
