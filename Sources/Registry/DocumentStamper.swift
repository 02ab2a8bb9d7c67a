public import Foundation

/// Draws the ĐẾN stamp on a document's PDF once its number is known. The register calls it
/// inside the transaction that gives the number, before the file is fsynced and hashed, so the
/// SHA-256 recorded (and checked by the centre) covers the stamped file. Registry knows nothing
/// about PDF: Appliance hands in a stamper built on Imaging.
public protocol DocumentStamper: Sendable {
    /// Adds the stamp to the PDF at `path` by appending to it. If this throws, or anything
    /// after it fails, the register truncates the file back to its size before the call.
    func stamp(pdfAt path: String, entry: StampEntry) throws
    /// Gets ready to stamp entries like `entry` (any number, date and time) before the number is
    /// taken — while the pages are still being scanned — so stamping then keeps nobody waiting.
    func prepare(for entry: StampEntry)
}

extension DocumentStamper {
    public func prepare(for entry: StampEntry) {}
}

/// What goes on the stamp: the register's facts about the entry being numbered.
public struct StampEntry: Sendable, Equatable {
    public var book: String
    public var year: Int
    /// Số đến.
    public var number: Int
    /// Ngày đến.
    public var arrivedAt: Date
    /// The office's zone (Vietnam): the stamp shows the date and time there.
    public var timeZone: TimeZone
    public var secrecy: Secrecy
    public var urgency: Urgency
    public var fields: RegisterFields

    public init(book: String, year: Int, number: Int, arrivedAt: Date, timeZone: TimeZone,
                secrecy: Secrecy = .none, urgency: Urgency = .normal, fields: RegisterFields = RegisterFields()) {
        self.book = book
        self.year = year
        self.number = number
        self.arrivedAt = arrivedAt
        self.timeZone = timeZone
        self.secrecy = secrecy
        self.urgency = urgency
        self.fields = fields
    }
}
