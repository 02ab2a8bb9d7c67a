public import IntakeCore

/// A failure of backup, restore or retention, with a message for the technician and the detail.
public typealias OperationsError = CodedError<OperationsErrorCode>

public enum OperationsErrorCode: String, ErrorCodes {
    public static let family = "operations"
    case destinationRefused, backupFailed, manifestMismatch, daemonRunning, restoreFailed, verifyFailed, timeSync
}
