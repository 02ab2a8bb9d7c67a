/// Where the check of the page's own secrecy marks (the stamp "MẬT" printed on the paper) stands.
///
/// The release gate waits while it is `pending` and holds the document when it is `flagged`.
/// Nothing sets `pending` yet: it is the hook for the OCR check of the marks.
public enum MarksCheck: String, Codable, Sendable, CaseIterable {
    /// No check is made for this document.
    case notRequired
    /// A check is under way; the document may not leave until it ends.
    case pending
    /// The pages carry no secrecy mark beyond the declared one.
    case passed
    /// The pages carry a secrecy mark the registration did not declare.
    case flagged
}
