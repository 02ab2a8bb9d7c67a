public import IntakeCore

/// A failure of backup, restore or retention, with a message for the technician and the detail.
public struct OperationsError: IntakeError {
    public enum Code: String, Sendable {
        case destinationRefused, backupFailed, manifestMismatch, daemonRunning, restoreFailed, verifyFailed, timeSync
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "operations.\(code.rawValue)" }
}
