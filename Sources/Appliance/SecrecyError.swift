/// A failure of the secrecy rules or of the at-rest encryption, with a clerk message in
/// Vietnamese and a detail for the technician.
public struct SecrecyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case keyMissing, keyUnsafe, sealedFileDamaged, storage, notAllowed, windowClosed, nothingToCorrect
    }

    public var code: Code
    public var message: String
    public var detail: String

    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? message : "\(message) (\(detail))" }
}

extension SecrecyError: ExplainedError { public var codeName: String { "secrecy.\(code.rawValue)" } }
