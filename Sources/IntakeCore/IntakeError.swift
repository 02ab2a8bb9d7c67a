/// The one error protocol: a stable code (prefixed once with its module, e.g. "scan.jammed"),
/// one line a person understands, and a detail for the technician's journal.
public protocol IntakeError: Error, CustomStringConvertible, Sendable {
    var code: String { get }
    var message: String { get }
    var detail: String { get }
}

extension IntakeError {
    public var description: String { detail.isEmpty ? message : "\(message)\n  detail: \(detail)" }
}
