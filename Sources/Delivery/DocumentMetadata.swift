/// What the central system is told about a document, sent as JSON beside the PDF.
public struct DocumentMetadata: Sendable, Codable, Equatable {
    /// Also the Idempotency-Key; carries the organisation's identifier code.
    public var documentID: String
    public var organisationCode: String
    public var book: String
    public var year: Int
    public var number: Int
    /// ISO 8601 in Vietnam time with its offset, e.g. 2026-12-01T08:30:12+07:00.
    public var arrivedAt: String
    /// Độ khẩn in the decree's words: "Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc".
    public var urgency: String
    /// Độ mật in the decree's words: "" (ordinary), "Mật", "Tối mật", "Tuyệt mật"; the
    /// complaints class is "Đơn thư khiếu nại, tố cáo".
    public var secrecy: String
    public var classified: Bool
    public var pages: Int
    /// Lowercase hex SHA-256 of the PDF.
    public var sha256: String
    public var fields: [String: String]

    public init(
        documentID: String, organisationCode: String, book: String, year: Int, number: Int,
        arrivedAt: String, urgency: String, secrecy: String, classified: Bool, pages: Int,
        sha256: String, fields: [String: String] = [:]
    ) {
        self.documentID = documentID
        self.organisationCode = organisationCode
        self.book = book
        self.year = year
        self.number = number
        self.arrivedAt = arrivedAt
        self.urgency = urgency
        self.secrecy = secrecy
        self.classified = classified
        self.pages = pages
        self.sha256 = sha256
        self.fields = fields
    }
}
