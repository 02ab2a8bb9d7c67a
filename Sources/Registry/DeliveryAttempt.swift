public import Foundation

/// The result of one delivery attempt, recorded by the outbox worker.
public struct DeliveryAttempt: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The target confirmed receipt.
        case delivered(status: Int?, receipt: String?)
        /// A transient failure; try again at `nextAttemptAt`.
        case retry(status: Int?, error: String, nextAttemptAt: Date)
        /// A permanent failure; a technician must look.
        case needsAttention(status: Int?, message: String)
        /// The file does not match its checksum.
        case corrupt(message: String)
    }

    /// `OutboxItem.id`.
    public var outboxID: Int64
    public var at: Date
    public var outcome: Outcome

    public init(outboxID: Int64, at: Date, outcome: Outcome) {
        self.outboxID = outboxID
        self.at = at
        self.outcome = outcome
    }
}
