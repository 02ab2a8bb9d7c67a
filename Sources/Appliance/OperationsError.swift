/// A failure of backup, restore or retention, with a message for the technician and the detail.
public struct OperationsError: Error, Sendable, CustomStringConvertible, ExplainedError {
    public enum Code: String, Sendable {
        case destinationRefused, backupFailed, manifestMismatch, daemonRunning, restoreFailed, verifyFailed
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var codeName: String { "operations.\(code.rawValue)" }
    public var description: String { detail.isEmpty ? message : "\(message) [\(detail)]" }
}
