public import FoundationEssentials

/// Vietnam time (+07:00, no daylight saving): the time zone of the register, the stamp, the
/// status screen and the metadata sent to the centre.
public enum VietnamTime {
    public static let zone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt

    /// ISO 8601 with the +07:00 offset, e.g. 2026-12-01T08:15:00+07:00 (RFC 3339: the colon in
    /// the offset; `Date.ISO8601FormatStyle` writes "+0700" on Linux). Spelled from calendar
    /// fields, as ISO8601DateFormatter would with .withInternetDateTime, because
    /// ISO8601DateFormatter needs full Foundation and IntakeCore links FoundationEssentials only
    /// (README: Lean processes).
    public static func iso8601(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let minutes = abs(offset) / 60
        let zoneText = offset == 0 ? "Z" : (offset < 0 ? "-" : "+") + String(printf: "%02d:%02d", minutes / 60, minutes % 60)
        return String(printf: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0) + zoneText
    }
}
