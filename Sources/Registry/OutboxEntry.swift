public import Foundation

/// One row of the delivery queue as a technician sees it (`intake queue`).
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var documentID: String
    public var target: String
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var lastStatus: Int?
    public var heldReason: String?
    public var deliveredAt: Date?
    public var receipt: String?
    public var urgency: Urgency
    public var secrecy: Secrecy
    public var book: String
    public var year: Int
    public var number: Int
    public var arrivedAt: Date

    public init(
        id: Int64, documentID: String, target: String, state: OutboxState, attempts: Int,
        nextAttemptAt: Date, lastError: String?, lastStatus: Int?, heldReason: String?,
        deliveredAt: Date?, receipt: String?, urgency: Urgency, secrecy: Secrecy, book: String,
        year: Int, number: Int, arrivedAt: Date
    ) {
        self.id = id
        self.documentID = documentID
        self.target = target
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.lastStatus = lastStatus
        self.heldReason = heldReason
        self.deliveredAt = deliveredAt
        self.receipt = receipt
        self.urgency = urgency
        self.secrecy = secrecy
        self.book = book
        self.year = year
        self.number = number
        self.arrivedAt = arrivedAt
    }
}
