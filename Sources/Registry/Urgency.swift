/// Độ khẩn: how urgently an incoming document must be handled and delivered.
public enum Urgency: String, Codable, Sendable, CaseIterable {
    case normal, khan, thuongKhan, hoaToc

    /// The label printed on the document and in the register.
    public var displayName: String {
        switch self {
        case .normal: "Thường"
        case .khan: "KHẨN"
        case .thuongKhan: "THƯỢNG KHẨN"
        case .hoaToc: "HỎA TỐC"
        }
    }

    /// Delivery priority: 0 goes first (hỏa tốc), 3 last (thường).
    public var priority: Int {
        switch self {
        case .hoaToc: 0
        case .thuongKhan: 1
        case .khan: 2
        case .normal: 3
        }
    }
}
