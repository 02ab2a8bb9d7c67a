public import IntakeCore

/// Độ khẩn: how urgently an incoming document must be handled and delivered.
/// `stored` is the register's spelling (StoredWord.swift), `rawValue` the JSON's; `word` the configuration's.
public enum Urgency: String, Codable, Sendable, CaseIterable, DomainWord {
    case normal, khan, thuongKhan, hoaToc

    public static let vocabularyName = "urgency"

    public var word: String {
        switch self {
        case .normal: "normal"
        case .khan: "khan"
        case .thuongKhan: "thuong_khan"
        case .hoaToc: "hoa_toc"
        }
    }

    /// The label printed on the document and in the register.
    public var displayName: String {
        switch self {
        case .normal: "Thường"
        case .khan: "KHẨN"
        case .thuongKhan: "THƯỢNG KHẨN"
        case .hoaToc: "HỎA TỐC"
        }
    }

    /// The decree's words (Nghị định 30/2020, Phụ lục I), as the centre receives them.
    public var decreeName: String {
        switch self {
        case .normal: "Thường"
        case .khan: "Khẩn"
        case .thuongKhan: "Thượng khẩn"
        case .hoaToc: "Hỏa tốc"
        }
    }

    /// Delivery priority: 0 goes first (hỏa tốc), 3 last (thường). The outbox orders by this.
    public var priority: Int {
        switch self {
        case .hoaToc: 0
        case .thuongKhan: 1
        case .khan: 2
        case .normal: 3
        }
    }
}
