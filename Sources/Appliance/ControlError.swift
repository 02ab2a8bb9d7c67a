import Foundation
public import IntakeCore

/// Problems talking to the daemon over its socket.
public typealias ControlError = CodedError<ControlErrorCode>

public enum ControlErrorCode: String, ErrorCodes {
    public static let family = "control"
    case daemonNotRunning, permissionDenied, alreadyRunning, protocolViolation, system, timeout, busy, invalidRequest
}

extension ControlError {
    static func daemonNotRunning(_ path: String) -> ControlError {
        .init(code: .daemonNotRunning, message: "The Intake daemon is not running.", detail: "nobody listens on \(path)")
    }
    static func permissionDenied(_ path: String) -> ControlError {
        .init(code: .permissionDenied, message: "No permission to talk to the Intake daemon.",
              detail: "\(path): add your user to the daemon's group (e.g. `usermod -aG intake $USER`) and log in again")
    }
    static func alreadyRunning(_ path: String) -> ControlError {
        .init(code: .alreadyRunning, message: "Another Intake daemon is already running.", detail: "it answers on \(path)")
    }
    static func protocolViolation(_ text: String) -> ControlError {
        .init(code: .protocolViolation, message: "The daemon sent something unexpected.", detail: text)
    }
    static func timeout(_ seconds: Int) -> ControlError {
        .init(code: .timeout, message: "The Intake daemon did not answer within \(seconds) s.",
              detail: "it may be stuck in a scanner driver; see `systemctl status intake` and `journalctl -u intake -n 50` (the watchdog restarts a stuck daemon)")
    }
    static func busy(_ limit: Int) -> ControlError {
        .init(code: .busy, message: "The Intake daemon is busy with other requests — try again in a moment.",
              detail: "\(limit) control connections are open at once")
    }
    static func invalidRequest(_ text: String) -> ControlError {
        .init(code: .invalidRequest, message: "The request was refused: \(text)", detail: "")
    }
    static func system(_ call: String, _ code: Int32) -> ControlError {
        .init(code: .system, message: "Could not talk to the Intake daemon.", detail: "\(call): \(String(cString: strerror(code)))")
    }
}
