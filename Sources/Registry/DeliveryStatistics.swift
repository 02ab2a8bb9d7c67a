public import Foundation

/// Totals the register keeps that fleet metrics report: what was scanned, what was attempted,
/// when each target last took a document, and which files still wait for delivery.
public struct DeliveryStatistics: Sendable, Equatable {
    public struct BookTotals: Sendable, Equatable {
        public var documents: Int
        public var pages: Int
    }

    public struct AttemptCount: Sendable, Equatable {
        public var target: String
        /// delivered, retry, needsAttention, corrupt.
        public var outcome: String
        public var count: Int
    }

    /// Per book: documents numbered (voided ones included: they were scanned) and their pages.
    public var books: [String: BookTotals]
    public var attempts: [AttemptCount]
    /// Per target: when its last delivery was confirmed.
    public var lastDelivered: [String: Date]
    /// Paths of documents not yet delivered to every target.
    public var waitingFiles: [String]
}
