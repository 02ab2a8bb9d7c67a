/// The clerk-entered columns of the register. All optional; in `edit`, nil means "leave as is".
public struct RegisterFields: Sendable, Codable, Equatable {
    /// Tác giả: the sending organisation.
    public var sender: String?
    /// Số/ký hiệu: the document's own number and notation, e.g. "123/QĐ-UBND".
    public var notation: String?
    /// Ngày tháng văn bản: the document's date as written on it.
    public var documentDate: String?
    /// Tên loại và trích yếu: the document type and summary.
    public var summary: String?
    /// Đơn vị/người nhận: the unit or person it is forwarded to.
    public var recipient: String?
    /// Ngày chuyển: the date it was forwarded.
    public var forwardedDate: String?
    /// Ghi chú: notes.
    public var notes: String?

    public init(
        sender: String? = nil, notation: String? = nil, documentDate: String? = nil,
        summary: String? = nil, recipient: String? = nil, forwardedDate: String? = nil,
        notes: String? = nil
    ) {
        self.sender = sender
        self.notation = notation
        self.documentDate = documentDate
        self.summary = summary
        self.recipient = recipient
        self.forwardedDate = forwardedDate
        self.notes = notes
    }

    /// The column names as stored, with their values, in a fixed order.
    var columns: [(name: String, value: String?)] {
        [
            ("sender", sender), ("notation", notation), ("documentDate", documentDate),
            ("summary", summary), ("recipient", recipient), ("forwardedDate", forwardedDate),
            ("notes", notes),
        ]
    }

    /// The fields unchanged if none carries a forbidden character; else the error names it.
    func checked() throws -> RegisterFields {
        for (name, value) in columns { if let value { _ = try Text.checked(value, field: name) } }
        return self
    }

    /// The same fields with every string NFC-normalised and trimmed (TCVN 6909:2001).
    var normalised: RegisterFields {
        RegisterFields(
            sender: sender.map(Text.nfc), notation: notation.map(Text.nfc),
            documentDate: documentDate.map(Text.nfc), summary: summary.map(Text.nfc),
            recipient: recipient.map(Text.nfc), forwardedDate: forwardedDate.map(Text.nfc),
            notes: notes.map(Text.nfc)
        )
    }
}
