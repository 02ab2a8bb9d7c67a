import Registry

/// Every clerk-facing sentence of the header check (Vietnamese), in one place so the message
/// catalogue can take them over as they are.
enum MarksCheckText {
    /// Status screen: a secrecy mark was read on a document registered lower.
    static func flagged(number: Int, book: String, mark: Secrecy) -> String {
        "Văn bản số \(number) sổ \(book): trang 1 có dấu \(mark.displayName). Chưa gửi. "
            + "Kiểm tra bản giấy rồi xác nhận: intake register confirm-mark \(number) --secrecy \(mark.word) --reason \"…\", "
            + "hoặc --dismiss --reason \"…\" nếu đọc nhầm."
    }

    /// Status screen: the marks could not be read (reader missing, crashed or overran).
    static func unreadable(number: Int, book: String) -> String {
        "Văn bản số \(number) sổ \(book): không đọc được dấu độ mật trên trang. Chưa gửi. "
            + "Kiểm tra bản giấy rồi xác nhận: intake register confirm-mark \(number) --secrecy mat --reason \"…\" nếu có dấu mật, "
            + "hoặc --dismiss --reason \"…\" nếu không có."
    }

    /// Status screen at start-up: documents still held by a flagged check.
    static func stillHeld(numbers: [Int], book: String) -> String {
        "Văn bản số \(numbers.map(String.init).joined(separator: ", ")) sổ \(book) đang chờ xác nhận dấu độ mật. Chưa gửi. "
            + "Kiểm tra bản giấy rồi xác nhận: intake register confirm-mark SỐ --secrecy mat hoặc --dismiss, kèm --reason \"…\"."
    }

    /// Status screen: the urgency was raised to what the page's mark says.
    static func urgencyRaised(number: Int, book: String, to urgency: Urgency) -> String {
        "Văn bản số \(number) sổ \(book): trang có dấu \(urgency.displayName); đã nâng độ khẩn và gửi trước."
    }

    /// Audit reason of an urgency raise.
    static func urgencyReason(mark: String, confidence: Double) -> String {
        "Dấu độ khẩn đọc được trên trang 1: \(mark) (độ tin cậy \(Int(confidence)))"
    }

    /// The clerk dismissed the mark as misread.
    static func dismissed(number: Int, book: String) -> String {
        "Đã xác nhận văn bản số \(number) sổ \(book) không có dấu độ mật (đọc nhầm); văn bản sẽ được gửi."
    }

    /// Refusals of `confirm-mark`.
    static func notFlagged(number: Int, book: String) -> String {
        "Văn bản số \(number) sổ \(book) không chờ xác nhận dấu độ mật."
    }

    static let reasonRequired = "Phải ghi lý do."
}
