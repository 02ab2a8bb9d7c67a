import Foundation
import GRDB

extension Register {
    // MARK: - clock

    /// Whether numbering may proceed now: the clock must not be earlier than the last
    /// registration, nor in a year before the software was built.
    public func clockCheck() throws -> ClockStatus {
        try read { db in try clockStatus(db, now: nil) }
    }

    /// Reads the clock only after the last registration: a registration committed by someone
    /// else in between must not make a correct clock look wrong.
    func clockStatus(_ db: Database, now given: Date?) throws -> ClockStatus {
        // Entries a technician moved out of a wrong (future) clock's year no longer count.
        let lastMs = try Int64.fetchOne(db, sql: "SELECT MAX(arrivedAtMs) FROM document WHERE wrongClock = 0")
        let last = lastMs.map(Millis.date)
        let now = given ?? clock.now()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = configuration.timeZone
        if configuration.year(of: now) < configuration.buildYear {
            return ClockStatus(
                verdict: .beforeBuildYear, now: now, lastRegistration: last,
                message: "Đồng hồ sai: năm \(configuration.year(of: now)) trước năm \(configuration.buildYear). "
                    + "Không cấp số đến cho tới khi chỉnh lại giờ (\(formatter.string(from: now))).")
        }
        if let trusted = configuration.trustedTime?(), now.timeIntervalSince(trusted) > RegisterConfiguration.allowedClockLead {
            return ClockStatus(
                verdict: .aheadOfTrustedTime, now: now, lastRegistration: last,
                message: "Đồng hồ sai: nhanh hơn giờ chuẩn (\(formatter.string(from: trusted))) hơn một ngày. "
                    + "Không cấp số đến cho tới khi chỉnh lại giờ.")
        }
        if let lastMs, Millis.of(now) < lastMs, let last {
            return ClockStatus(
                verdict: .beforeLastRegistration, now: now, lastRegistration: last,
                message: "Đồng hồ sai: bây giờ (\(formatter.string(from: now))) sớm hơn lần đăng ký cuối "
                    + "(\(formatter.string(from: last))). Không cấp số đến cho tới khi chỉnh lại giờ.")
        }
        return ClockStatus(verdict: .ok, now: now, lastRegistration: last, message: "Đồng hồ đúng.")
    }
}
