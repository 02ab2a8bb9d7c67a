public import IntakeCore
/// A failure to write a report, with a clerk message and a technician detail.
public struct ReportError: IntakeError, Equatable {
    public enum Code: String, Sendable {
        case cannotWrite, cairo
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "report.\(code.rawValue)" }
}
