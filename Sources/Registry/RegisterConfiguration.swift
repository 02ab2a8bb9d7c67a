public import Foundation

/// What the register needs to know about the office and the installation.
public struct RegisterConfiguration: Sendable {
    /// Mã định danh of the organisation, e.g. "000.00.00.H49"; every document id carries it.
    public var organisationCode: String
    /// The ordinary incoming book (Sổ đăng ký văn bản đến).
    public var ordinaryBook: String
    /// The book for MẬT / TỐI MẬT / TUYỆT MẬT documents.
    public var classifiedBook: String
    /// The year the software was built: a clock earlier than this is wrong.
    public var buildYear: Int
    /// Where registered PDFs live (YYYY/<id>.pdf), with `.pending/` for registrations in flight.
    public var documentsDirectory: String
    /// The office's time zone: the calendar year (and the register's dates) follow it.
    public var timeZone: TimeZone

    public init(
        organisationCode: String,
        ordinaryBook: String = "DEN",
        classifiedBook: String = "MAT",
        buildYear: Int,
        documentsDirectory: String,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
    ) {
        self.organisationCode = organisationCode
        self.ordinaryBook = ordinaryBook
        self.classifiedBook = classifiedBook
        self.buildYear = buildYear
        self.documentsDirectory = documentsDirectory
        self.timeZone = timeZone
    }

    /// A time the box can trust more than its own clock (the centre's Date header carried forward
    /// on the boot clock), or nil when the own clock is trusted (NTP-synchronised) or nothing
    /// better is known. Numbering is refused when the clock runs more than a day ahead of it.
    public var trustedTime: (@Sendable () -> Date?)?

    /// How far ahead of the trusted time the clock may be before numbering stops.
    public static let allowedClockLead: TimeInterval = 24 * 3600

    /// The book a document of this secrecy is numbered in.
    public func book(for secrecy: Secrecy) -> String {
        secrecy.isClassified ? classifiedBook : ordinaryBook
    }

    /// The calendar year of `date` in the office's time zone.
    public func year(of date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.component(.year, from: date)
    }
}
