import Foundation
import Registry

/// One register entry as the ten printed columns of Decree 30/2020 (Phụ lục IV).
struct RegisterRow {
    static let headers = [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú",
    ]

    let cells: [String]

    init(_ doc: RegisteredDocument, dates: DateFormatter) {
        var notes: [String] = []
        if doc.urgency != .normal { notes.append(doc.urgency.displayName) }
        if doc.secrecy.isClassified { notes.append(doc.secrecy.displayName) }
        if doc.state == .voided { notes.append("ĐÃ HỦY: \(doc.voidReason ?? "")") }
        if let extra = doc.fields.notes, !extra.isEmpty { notes.append(extra) }
        cells = [
            dates.string(from: doc.arrivedAt), String(doc.number), doc.fields.sender ?? "",
            doc.fields.notation ?? "", doc.fields.documentDate ?? "", doc.fields.summary ?? "",
            doc.fields.recipient ?? "", doc.fields.forwardedDate ?? "", "", notes.joined(separator: "; "),
        ]
    }

    static func dateFormatter(_ format: String, timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        return formatter
    }
}
