/// Where one document stands with one delivery target.
public enum OutboxState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Waiting for its next attempt (or the first).
    case pending
    /// Stopped by a technician (or because the document was voided).
    case held
    /// A permanent failure; waits for a technician.
    case needsAttention
    /// The target confirmed receipt.
    case delivered
    /// The file no longer matches its checksum.
    case corrupt
}
