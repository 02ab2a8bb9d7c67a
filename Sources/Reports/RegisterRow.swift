package import Foundation
package import Registry

/// One register entry as the printed columns of Decree 30/2020 (Phụ lục IV): ten in the
/// ordinary book, eleven in the classified book (Độ mật after Tên loại và trích yếu).
package struct RegisterRow {
    package static let ordinaryHeaders = [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú",
    ]
    /// Where the classified book's Độ mật column goes.
    package static let secrecyColumn = 6

    package static func headers(classified: Bool) -> [String] {
        var headers = ordinaryHeaders
        if classified { headers.insert("Độ mật", at: secrecyColumn) }
        return headers
    }

    /// "(1)", "(2)", … under the headings, as the decree's model prints them.
    package static func columnNumbers(classified: Bool) -> [String] {
        headers(classified: classified).indices.map { "(\($0 + 1))" }
    }

    package let cells: [String]

    package init(_ doc: RegisteredDocument, dates: DateFormatter, classified: Bool) {
        var notes: [String] = []
        if doc.urgency != .normal { notes.append(doc.urgency.displayName) }
        if doc.secrecy.isClassified && !classified { notes.append(doc.secrecy.displayName) }
        if doc.state == .voided { notes.append("ĐÃ HỦY: \(doc.voidReason ?? "")") }
        if let extra = doc.fields.notes, !extra.isEmpty { notes.append(extra) }
        var cells = [
            dates.string(from: doc.arrivedAt), doc.numberText, doc.fields.sender ?? "",
            doc.fields.notation ?? "", doc.fields.documentDate ?? "", doc.fields.summary ?? "",
            doc.fields.recipient ?? "", doc.fields.forwardedDate ?? "", "", notes.joined(separator: "; "),
        ]
        if classified { cells.insert(doc.secrecy.displayName, at: Self.secrecyColumn) }
        self.cells = cells
    }

    package static func dateFormatter(_ format: String, timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        return formatter
    }
}
