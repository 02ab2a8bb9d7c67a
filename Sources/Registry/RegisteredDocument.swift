public import Foundation

/// A document as it stands in the register.
public struct RegisteredDocument: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case registered, voided
    }

    /// "<mã định danh>-<book>-<year>-<number, 6 digits>-<short uuid>", e.g. "000.00.00.H49-DEN-2026-000123-1a2b3c4d".
    public var id: String
    public var book: String
    public var year: Int
    /// Số đến.
    public var number: Int
    /// Ngày đến: when the number was given.
    public var arrivedAt: Date
    public var pages: Int
    /// Hex SHA-256 of the PDF ("" for a number voided before it had a file).
    public var sha256: String
    /// Absolute path of the PDF ("" for a number voided before it had a file).
    public var path: String
    public var profile: String
    public var urgency: Urgency
    public var secrecy: Secrecy
    public var fields: RegisterFields
    public var state: State
    public var voidReason: String?
    /// How the pages are kept: plain, sealed (encrypted at rest) or not at all.
    public var storage: DocumentStorage = .plain
    /// The check of the page's own secrecy marks the release gate waits on.
    public var marksCheck: MarksCheck = .notRequired

    public init(
        id: String, book: String, year: Int, number: Int, arrivedAt: Date, pages: Int,
        sha256: String, path: String, profile: String, urgency: Urgency, secrecy: Secrecy,
        fields: RegisterFields, state: State = .registered, voidReason: String? = nil,
        storage: DocumentStorage = .plain, marksCheck: MarksCheck = .notRequired
    ) {
        self.id = id
        self.book = book
        self.year = year
        self.number = number
        self.arrivedAt = arrivedAt
        self.pages = pages
        self.sha256 = sha256
        self.path = path
        self.profile = profile
        self.urgency = urgency
        self.secrecy = secrecy
        self.fields = fields
        self.state = state
        self.voidReason = voidReason
        self.storage = storage
        self.marksCheck = marksCheck
    }
}
