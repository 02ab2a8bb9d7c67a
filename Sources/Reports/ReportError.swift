public import IntakeCore

/// A failure to write a report, with a clerk message and a technician detail.
public typealias ReportError = CodedError<ReportErrorCode>

public enum ReportErrorCode: String, ErrorCodes {
    public static let family = "report"
    case cannotWrite, cairo, mixedBooks
}
