public import Foundation

/// The HTTP Retry-After header (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// Delta-seconds ("120") or an HTTP-date (IMF-fixdate, RFC 850 or asctime form).
    /// A date in the past gives zero; anything unreadable gives nil.
    public static func parse(_ header: String, now: Date) -> Duration? {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return nil }
        if value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) {
            guard let seconds = Int64(value) else { return .seconds(Int64.max / 1_000_000_000) }
            return .seconds(seconds)
        }
        // asctime pads single-digit days with a second space.
        let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: collapsed) {
                let interval = date.timeIntervalSince(now)
                return interval <= 0 ? .zero : .milliseconds(Int64((interval * 1000).rounded()))
            }
        }
        return nil
    }
}
