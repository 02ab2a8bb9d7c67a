#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Vietnam time (+07:00, no daylight saving): the time zone of the register, the stamp, the
/// status screen and the metadata sent to the centre.
public enum VietnamTime {
    public static let zone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt

    /// ISO 8601 with the +07:00 offset, e.g. 2026-12-01T08:15:00+07:00 (RFC 3339: the colon in
    /// the offset; `Date.ISO8601FormatStyle` writes "+0700" on Linux).
    public static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic and timeouts.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
