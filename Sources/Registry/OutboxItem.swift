/// One delivery that is due now: the document and the target to send it to.
public struct OutboxItem: Sendable, Equatable {
    /// The outbox row id; pass it back in `DeliveryAttempt`.
    public var id: Int64
    public var target: String
    /// Attempts made so far.
    public var attempts: Int
    public var document: RegisteredDocument

    public init(id: Int64, target: String, attempts: Int, document: RegisteredDocument) {
        self.id = id
        self.target = target
        self.attempts = attempts
        self.document = document
    }

    /// A stable key the target can use to drop duplicates after retries.
    public var idempotencyKey: String { "\(document.id)/\(target)" }
}
