public import IntakeCore

/// A failure of the secrecy rules or of the at-rest encryption, with a clerk message in
/// Vietnamese and a detail for the technician.
public typealias SecrecyError = CodedError<SecrecyErrorCode>

public enum SecrecyErrorCode: String, ErrorCodes {
    public static let family = "secrecy"
    case keyMissing, keyUnsafe, sealedFileDamaged, storage, notAllowed, windowClosed, nothingToCorrect
    /// A classified entry cannot become ordinary: this box never kept its pages.
    case pagesNotKept
}
