/// What one delivery attempt achieved.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The target holds the document.
    case delivered(status: Int?, receipt: String?)
    /// Try again later (after at least `retryAfter` when given).
    case transient(status: Int?, message: String, retryAfter: Duration?)
    /// Retrying will not help; waits for a technician.
    case permanent(status: Int?, message: String)
}
