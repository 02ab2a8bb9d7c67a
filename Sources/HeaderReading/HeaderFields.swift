/// What the header of a Vietnamese administrative document says (Decree 30/2020, Phụ lục I),
/// each field with the confidence of the lines it came from (0–100).
public struct HeaderFields: Codable, Sendable, Equatable {
    public struct Field: Codable, Sendable, Equatable {
        public var value: String
        public var confidence: Double

        public init(_ value: String, confidence: Double) {
            self.value = value
            self.confidence = confidence
        }
    }

    /// Tác giả: the issuing body (the line just above "Số").
    public var sender: Field?
    /// The body above it (e.g. "UBND TỈNH HƯNG YÊN" above "SỞ TÀI CHÍNH").
    public var parentBody: Field?
    /// Số và ký hiệu, e.g. "1234/UBND-VP", "89-CV/BTCTU".
    public var notation: Field?
    /// Ngày tháng văn bản as yyyy-MM-dd.
    public var documentDate: Field?
    /// Tên loại: "QUYẾT ĐỊNH", "CÔNG VĂN", "THÔNG BÁO", …
    public var documentType: Field?
    /// Trích yếu: "Về việc …" or "V/v …".
    public var summary: Field?
    /// A stamped urgency mark, as the configuration spells it (hoa_toc, thuong_khan, khan).
    public var urgencyMark: Field?
    /// A stamped secrecy mark, as the configuration spells it (mat, toi_mat, tuyet_mat).
    public var secrecyMark: Field?

    public init() {}
}
