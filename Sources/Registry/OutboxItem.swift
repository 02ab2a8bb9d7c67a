/// One delivery that is due now: the document and the target to send it to.
public struct OutboxItem: Sendable, Equatable {
    /// The outbox row id; pass it back in `DeliveryAttempt`.
    public var id: Int64
    public var target: String
    /// Attempts made so far.
    public var attempts: Int
    public var document: RegisteredDocument
    /// What a resumable target stored on an earlier attempt (see `setTransferState`).
    public var transferState: String?

    public init(id: Int64, target: String, attempts: Int, document: RegisteredDocument, transferState: String? = nil) {
        self.id = id
        self.target = target
        self.attempts = attempts
        self.document = document
        self.transferState = transferState
    }
}
