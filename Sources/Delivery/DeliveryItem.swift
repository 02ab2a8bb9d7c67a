/// A registered document ready to leave the box.
public struct DeliveryItem: Sendable {
    public var metadata: DocumentMetadata
    /// The archival PDF on local disk.
    public var filePath: String
    /// What a resumable target stored about this delivery on an earlier attempt (a tus upload
    /// URL, a paperless task id), as it handed it to `saveResumeState`; nil on a first attempt.
    public var resumeState: String?
    /// Stores the resume state durably (in the register) before the target goes on; throws when
    /// it could not be stored, and the target then stops with a transient outcome. Nil when the
    /// caller keeps no state (the target then works without resuming).
    public var saveResumeState: (@Sendable (String?) throws -> Void)?

    public init(metadata: DocumentMetadata, filePath: String, resumeState: String? = nil,
                saveResumeState: (@Sendable (String?) throws -> Void)? = nil) {
        self.metadata = metadata
        self.filePath = filePath
        self.resumeState = resumeState
        self.saveResumeState = saveResumeState
    }
}
