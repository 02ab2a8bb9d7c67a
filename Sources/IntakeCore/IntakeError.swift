/// The one error protocol: a stable code (prefixed once with its module, e.g. "scanner.jammed"),
/// one line a person understands, and a detail for the technician's journal. Every module's
/// error adopts it where the error is defined; the socket, the journal and the CLI print any of
/// them the same way (`description`).
public protocol IntakeError: Error, CustomStringConvertible, Sendable {
    /// Stable, prefixed once: "scanner.jammed", "register.clockWrong", "control.busy".
    var errorCode: String { get }
    /// One line a clerk (or, for technician commands, a technician) understands.
    var message: String { get }
    /// For the technician: the call, the file, the status that failed ("" when nothing to add).
    var detail: String { get }
}

extension IntakeError {
    public var description: String { detail.isEmpty ? message : "\(message)\n  detail: \(detail)" }
}
