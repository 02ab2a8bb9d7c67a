public import IntakeCore

/// A failure of the secrecy rules or of the at-rest encryption, with a clerk message in
/// Vietnamese and a detail for the technician.
public struct SecrecyError: IntakeError, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        case keyMissing, keyUnsafe, sealedFileDamaged, storage, notAllowed, windowClosed, nothingToCorrect
        /// A classified entry cannot become ordinary: this box never kept its pages.
        case pagesNotKept
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var errorCode: String { "secrecy.\(code.rawValue)" }
}
