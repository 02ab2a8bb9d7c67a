public import Delivery
import IntakeCore
public import Imaging
public import Registry
public import Reports
public import Scanning

/// Every error a person can meet has a stable code, a one-line message for the clerk and a
/// detail for the technician. Each module defines its own error type; this gathers them so the
/// daemon, the socket and the CLI print them the same way.
public protocol ExplainedError: Error {
    var codeName: String { get }
    var message: String { get }
    var detail: String { get }
}

extension ScanError: ExplainedError { public var codeName: String { "scanner.\(code)" } }
extension PipelineError: ExplainedError { public var codeName: String { code.rawValue } }
extension RegistryError: ExplainedError { public var codeName: String { "register.\(code)" } }
extension ImagingError: ExplainedError { public var codeName: String { "imaging.\(code)" } }
extension TransportError: ExplainedError { public var codeName: String { "transport.\(code)" } }
extension DeliveryError: ExplainedError { public var codeName: String { "delivery.\(code)" } }
extension ReportError: ExplainedError { public var codeName: String { "report.\(code)" } }
extension ControlError: ExplainedError { public var codeName: String { "control.\(code.rawValue)" } }
extension ErrorPayload: ExplainedError { public var codeName: String { code } }

extension ErrorPayload {
    /// Any error as the socket carries it.
    public init(_ error: any Error) {
        if let error = error as? any IntakeError {
            self.init(code: error.code, message: error.message, detail: error.detail)
        } else if let explained = error as? any ExplainedError {
            self.init(code: explained.codeName, message: explained.message, detail: explained.detail)
        } else {
            self.init(code: "internal", message: "Something went wrong — call the technician.", detail: "\(error)")
        }
    }
}
