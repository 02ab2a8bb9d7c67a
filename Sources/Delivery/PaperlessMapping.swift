public import IntakeCore

/// How a document's register entry becomes paperless-ngx metadata: tags for urgency and secrecy,
/// a correspondent for the sender, a document type, the custom field that holds the số đến, and
/// the archive serial number (ASN) that makes delivery exactly-once.
public struct PaperlessMapping: Sendable, Equatable {
    /// Tag names put on every document.
    public var tags: [String] = ["Intake"]
    /// Urgency as the metadata carries it (the decree's words: Thường, Khẩn, Thượng khẩn, Hỏa tốc)
    /// → tag name; no entry, no tag.
    public var urgencyTags: [String: String] = ["Khẩn": "Khẩn", "Thượng khẩn": "Thượng khẩn", "Hỏa tốc": "Hỏa tốc"]
    /// Secrecy as the metadata carries it ("" for ordinary, Mật, Tối mật, Tuyệt mật) → tag name.
    public var secrecyTags: [String: String] = ["Mật": "Mật", "Tối mật": "Tối mật", "Tuyệt mật": "Tuyệt mật"]
    /// When true the sender (tác giả) becomes the correspondent, renamed through `senderCorrespondents`.
    public var correspondentFromSender = true
    /// Sender as written in the register → correspondent name in paperless.
    public var senderCorrespondents: [String: String] = [:]
    /// Document type name; nil sends none.
    public var documentType: String? = "Văn bản đến"
    /// Name of the integer custom field that receives the số đến.
    public var numberField = "Số đến"
    /// Register book → ASN slot 0…3 (see `archiveSerialNumber`).
    public var asnBooks: [String: Int] = ["DEN": 0, "MAT": 1]
    /// Tags, correspondents, the document type and the custom field are created when missing.
    public var createMissing = true

    public init() {}

    /// The archive serial number of a register entry: `slot·10⁹ + year·10⁵ + number`, e.g.
    /// book DEN (slot 0), 2026, số đến 1 → 202600001; book MAT (slot 1) → 1202600001. Unique per
    /// (book, year, number), below paperless' limit 2³²−1, readable by a person.
    public func archiveSerialNumber(book: String, year: Int, number: Int) throws(PaperlessMappingError) -> UInt32 {
        guard let slot = asnBooks[book] else {
            throw PaperlessMappingError(message: "book '\(book)' has no ASN slot in this paperless target; add it to asn_books (slots 0–3)")
        }
        guard (0...3).contains(slot) else {
            throw PaperlessMappingError(message: "ASN slot \(slot) of book '\(book)' is out of range 0–3")
        }
        guard (1000...9999).contains(year) else {
            throw PaperlessMappingError(message: "year \(year) cannot be put in an ASN")
        }
        guard (1...99_999).contains(number) else {
            throw PaperlessMappingError(message: "số đến \(number) does not fit the ASN scheme (at most 99999 a year per book)")
        }
        return UInt32(slot * 1_000_000_000 + year * 100_000 + number)
    }
}

/// A document that cannot be given paperless metadata (the configuration must change).
public struct PaperlessMappingError: IntakeError, Equatable {
    public var message: String
    public var errorCode: String { "delivery.paperlessMapping" }
    public var detail: String { "" }
}
