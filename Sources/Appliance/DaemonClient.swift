import Foundation
import IntakeCore

/// The commands' side of the control socket: one request, its replies, and a clear error when
/// the daemon is not running, does not answer in time, refuses, or hangs up before answering.
public struct DaemonClient: Sendable {
    public let socket: String

    public init(socket: String) { self.socket = socket }

    /// Whether a daemon answers on the socket.
    public var isRunning: Bool { (try? UnixConnection.connect(path: socket)) != nil }

    /// Sends one request and hands each reply to `onReply` until it returns false or the daemon
    /// hangs up. A daemon that says nothing for `timeout` (10 s unless given) gets a clear error instead of a hung command.
    public func ask(_ request: ControlRequest, timeout: Duration? = nil, onReply: (ControlReply) throws -> Bool) throws {
        let connection = try UnixConnection.connect(path: socket)
        connection.setTimeout(timeout ?? DaemonLimits.clientReplyTimeout)
        try connection.send(request)
        while let reply = try connection.receive(ControlReply.self) {
            if try !onReply(reply) { break }
        }
    }

    /// The daemon's status report; throws when it is not running, not answering or refuses.
    public func status() throws -> StatusReport {
        var report: StatusReport?
        var refusal: ErrorPayload?
        try ask(ControlRequest(command: .status)) { reply in
            report = reply.status
            refusal = reply.error
            return false
        }
        if let report { return report }
        throw refusal ?? ControlError(code: .protocolViolation, message: "The daemon closed the connection without answering.", detail: "")
    }

    /// A registered scan by the daemon. `progress` sees the replies before the last one
    /// (accepted, each page); replies come per page, and a scanner warming up or a long page
    /// may take a while. Throws when the conversation fails (not running, no answer in time);
    /// returns the daemon's refusal, or its hanging up before the last reply, as a failure.
    public func scan(profile: String, overrides: ScanOverrides, progress: (ControlReply) -> Void) throws -> Result<DocumentSummary, any Error> {
        var result: Result<DocumentSummary, ErrorPayload>?
        try ask(ControlRequest(command: .scan, profile: profile, overrides: overrides), timeout: DaemonLimits.clientScanReplyTimeout) { reply in
            switch reply.event {
            case .registered:
                if let document = reply.document { result = .success(document) }
                return false
            case .error:
                result = .failure(reply.error ?? ErrorPayload(code: "internal", message: "unknown error", detail: ""))
                return false
            default:
                progress(reply)
                return true
            }
        }
        switch result {
        case .success(let document): return .success(document)
        case .failure(let error): return .failure(error)
        case nil: return .failure(ControlError(
            code: .protocolViolation,
            message: "The scanner service stopped before answering; the document may have been numbered already.",
            detail: "check `intake register list` (or the status screen) before scanning the paper again"))
        }
    }

    /// A secrecy correction by the daemon (which also tells the clerk on the screen); thrown and
    /// returned failures as for `scan`.
    public func correctSecrecy(_ request: SecrecyCorrectionRequest) throws -> Result<DocumentSummary, any Error> {
        try documentAnswer(to: ControlRequest(command: .mark, correction: request),
                           ifUnanswered: "check `intake register list` before trying again")
    }

    /// A request the daemon answers with one document (`registered`) or a refusal; `ifUnanswered`
    /// tells the technician what to check when the daemon hangs up first.
    public func documentAnswer(to request: ControlRequest, ifUnanswered detail: String) throws -> Result<DocumentSummary, any Error> {
        var answer: Result<DocumentSummary, any Error>?
        try ask(request) { reply in
            if reply.event == .registered, let document = reply.document { answer = .success(document) }
            if reply.event == .error { answer = .failure(reply.error ?? ErrorPayload(code: "internal", message: "unknown error", detail: "")) }
            return answer == nil
        }
        return answer ?? .failure(ControlError(code: .protocolViolation, message: "The daemon stopped before answering.", detail: detail))
    }
}

/// Where `intake scan` registers a document.
public enum ScanPlace: Sendable, Equatable {
    /// Through the daemon, which owns the scanner.
    case daemon
    /// In this process, with the scanner opened here.
    case here
}

extension DaemonClient {
    /// Through the daemon unless the command asks to scan here (`--direct`) or changes the
    /// device's settings; scanning here beside a running daemon is refused (`ControlError.busy`):
    /// a second scanner session would fight it for the device, and the flags would bypass the
    /// profile the daemon enforces.
    public func placeForRegisteredScan(direct: Bool, deviceSettings: Bool) throws -> ScanPlace {
        if !direct && !deviceSettings { return .daemon }
        if isRunning {
            throw ControlError(code: .busy, message: "The Intake daemon is running and owns the scanner.",
                               detail: "scan flags (--device, --resolution, …) and --direct need it stopped: `sudo systemctl stop intake`; or scan a test file with --output")
        }
        return .here
    }
}

extension StatusReport {
    /// The running daemon's report; when no daemon runs, or it is stuck (no answer in time, busy,
    /// garbled), the register read directly — `note` says why in the second case.
    public static func current(configuration: Configuration, buildYear: Int, note: (String) -> Void) throws -> StatusReport {
        do {
            return try DaemonClient(socket: configuration.paths.socket).status()
        } catch let error as ControlError where error.code == .daemonNotRunning {
            // Not running: the register is all there is.
        } catch let error as ControlError where [.timeout, .busy, .system, .protocolViolation].contains(error.code) {
            // A stuck daemon still leaves the register readable: show it, and say why.
            note("\(error.message) Showing the register read directly.")
        }
        return try collect(ApplianceContext(configuration: configuration, buildYear: buildYear))
    }
}
