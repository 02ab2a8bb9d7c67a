import Registry

/// The header check's Vietnamese texts that are not screen messages (those are `ClerkMessage`
/// cases): the audit reason of an urgency raise and the refusals of `confirm-mark`.
enum MarksCheckText {
    /// Audit reason of an urgency raise.
    static func urgencyReason(mark: String, confidence: Double) -> String {
        "Dấu độ khẩn đọc được trên trang 1: \(mark) (độ tin cậy \(Int(confidence)))"
    }

    /// Refusals of `confirm-mark`.
    static func notFlagged(number: Int, book: String) -> String {
        "Văn bản số \(number) sổ \(book) không chờ xác nhận dấu độ mật."
    }

    static let reasonRequired = "Phải ghi lý do."
}
