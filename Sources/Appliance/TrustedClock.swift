public import Foundation
internal import CIntakeSystem
import Delivery
import IntakeCore

/// A time the box can trust more than its own clock, for the numbering clock check.
///
/// When the kernel says the clock is NTP-synchronised (adjtimex: no STA_UNSYNC — what
/// `timedatectl` reports as NTPSynchronized), the own clock is trusted. Otherwise the last Date
/// header the centre sent, carried forward on the boot clock (CLOCK_BOOTTIME, which nobody sets),
/// is the reference: a clock that jumped ahead by more than a day is caught even offline.
public final class TrustedClock: @unchecked Sendable {
    struct Reference: Codable, Equatable {
        var serverDateMs: Int64
        var bootID: String
        var bootNanoseconds: UInt64
    }

    private let path: String
    private let isSynchronised: @Sendable () -> Bool
    private let lock = NSLock()

    /// `path`: where the reference survives restarts (in the state directory).
    public init(path: String, isSynchronised: @escaping @Sendable () -> Bool = TrustedClock.kernelSaysSynchronised) {
        self.path = path
        self.isSynchronised = isSynchronised
    }

    /// nil when the own clock is trusted or nothing better is known.
    public func trustedNow() -> Date? {
        if isSynchronised() { return nil }
        guard let reference = lock.withLock({ read() }), reference.bootID == Self.bootID() else { return nil }
        let elapsed = Double(Self.bootNanoseconds() &- reference.bootNanoseconds) / 1e9
        return Date(timeIntervalSince1970: Double(reference.serverDateMs) / 1000 + elapsed)
    }

    /// Records the centre's Date header (any answer carries one).
    public func observe(serverDate: Date) {
        let reference = Reference(serverDateMs: Int64(serverDate.timeIntervalSince1970 * 1000), bootID: Self.bootID(),
                                  bootNanoseconds: Self.bootNanoseconds())
        guard let data = try? JSONEncoder().encode(reference) else { return }
        lock.withLock {
            try? DurableFile.write(data, to: path, mode: 0o644)
        }
    }

    /// Asks each HTTP target's /health for its Date header (the probe the daemon runs now and then).
    public func probe(_ targets: [Configuration.Target]) async {
        for target in targets where target.kind == .http {
            guard target.url != nil, let response = try? await TargetProbe.perform(target),
                  let header = response.headers["date"], let date = Self.httpDate(header) else { continue }
            observe(serverDate: date)
            return
        }
    }

    private func read() -> Reference? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Reference.self, from: data)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// The kernel's NTP state, as timedatectl reads it (adjtimex with no modes only reads).
    public static let kernelSaysSynchronised: @Sendable () -> Bool = { intake_ntp_synchronised() != 0 }

    static func bootID() -> String {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    static func bootNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_BOOTTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
