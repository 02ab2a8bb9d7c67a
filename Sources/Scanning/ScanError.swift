public import IntakeCore
/// A scanning failure: a stable `code`, a one-line `message` for the clerk, a `detail` for the technician.
public struct ScanError: IntakeError, Equatable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case jammed, noDocuments, coverOpen, deviceBusy, ioError, accessDenied, deviceGone
        case invalidOption, unsupported, cancelled, outOfMemory, noDevice, other
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(code: Code, message: String, detail: String) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "scanner.\(code.rawValue)" }
}

// MARK: - SANE status mapping

extension ScanError {
    /// The names SANE gives its status codes (sane.h), by raw value.
    static let saneStatusNames = [
        "SANE_STATUS_GOOD", "SANE_STATUS_UNSUPPORTED", "SANE_STATUS_CANCELLED", "SANE_STATUS_DEVICE_BUSY",
        "SANE_STATUS_INVAL", "SANE_STATUS_EOF", "SANE_STATUS_JAMMED", "SANE_STATUS_NO_DOCS",
        "SANE_STATUS_COVER_OPEN", "SANE_STATUS_IO_ERROR", "SANE_STATUS_NO_MEM", "SANE_STATUS_ACCESS_DENIED",
    ]

    static func saneStatusName(_ status: Int) -> String {
        saneStatusNames.indices.contains(status) ? saneStatusNames[status] : "SANE status \(status)"
    }

    /// The one factory that turns a SANE status into a typed error.
    /// - Parameters:
    ///   - status: raw `SANE_Status` (must not be GOOD).
    ///   - operation: the SANE call and its subject, e.g. `sane_read on fujitsu:fi-7160`.
    ///   - deviceGone: set when the device no longer answers after an I/O error (unplugged).
    static func sane(status: Int, operation: String, deviceGone: Bool = false) -> ScanError {
        let detail = "\(operation): \(saneStatusName(status))"
        switch status {
        case 1:
            return ScanError(code: .unsupported, message: "The scanner does not support this operation.", detail: detail)
        case 2:
            return ScanError(code: .cancelled, message: "Scanning was cancelled.", detail: detail)
        case 3:
            return ScanError(code: .deviceBusy, message: "The scanner is busy — wait a moment and try again.", detail: detail)
        case 4:
            return ScanError(code: .invalidOption, message: "The scanner rejected a setting — ask the technician to check the profile.", detail: detail)
        case 6:
            return ScanError(code: .jammed, message: "Paper jam — open the scanner cover and remove the paper.", detail: detail)
        case 7:
            return ScanError(code: .noDocuments, message: "The feeder is empty — put the pages in the feeder and press again.", detail: detail)
        case 8:
            return ScanError(code: .coverOpen, message: "The scanner cover is open — close it and press again.", detail: detail)
        case 9 where deviceGone:
            return ScanError(code: .deviceGone, message: "The scanner was disconnected — check its cable and power, then press again.", detail: detail + " (device no longer answers)")
        case 9:
            return ScanError(code: .ioError, message: "The scanner stopped responding — check its cable and power, then press again.", detail: detail)
        case 10:
            return ScanError(code: .outOfMemory, message: "The scanner ran out of memory — scan fewer pages at a time or a lower resolution.", detail: detail)
        case 11:
            return ScanError(code: .accessDenied, message: "This box is not allowed to use the scanner — call the technician.", detail: detail + " (check the scanner group / udev rule)")
        case 5:
            return ScanError(code: .ioError, message: "The scanner ended the page unexpectedly — scan the document again.", detail: detail)
        default:
            return ScanError(code: .other, message: "The scanner reported an error — call the technician.", detail: detail)
        }
    }

    // MARK: - Errors this module raises itself

    static func invalidOption(_ detail: String) -> ScanError {
        ScanError(code: .invalidOption, message: "A scanner setting in the profile is not valid for this scanner — call the technician.", detail: detail)
    }

    static func unsupported(_ detail: String) -> ScanError {
        ScanError(code: .unsupported, message: "The scanner cannot do what the profile asks — call the technician.", detail: detail)
    }

    static func noDevice(_ detail: String) -> ScanError {
        ScanError(code: .noDevice, message: "No scanner found — check that it is switched on and connected.", detail: detail)
    }

    static func ioError(_ detail: String) -> ScanError {
        ScanError(code: .ioError, message: "The scanner stopped responding — check its cable and power, then press again.", detail: detail)
    }
}
