public import Foundation
package import Registry
public import IntakeCore

/// Which register book a print or CSV export is, and what its cover (bìa) says. One export is
/// one book: entries of another book are refused, never mixed in (numbers would read 1, 2, 1, 2).
public struct PrintedBook: Sendable, Equatable, Codable {
    /// The organisation keeping the book (tên cơ quan, tổ chức).
    public var organisation: String
    /// The book's code in the register, e.g. "DEN" or "MAT".
    public var code: String
    /// The classified book (sổ đăng ký văn bản mật đến) adds the Độ mật column.
    public var classified: Bool
    public var timeZone: TimeZone

    public init(organisation: String, code: String, classified: Bool,
                timeZone: TimeZone = VietnamTime.zone) {
        self.organisation = organisation
        self.code = code
        self.classified = classified
        self.timeZone = timeZone
    }

    /// The book's name as Decree 30/2020 (Phụ lục IV) prints it.
    public var title: String { classified ? "SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN" : "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" }

    /// Refuses entries of another book before anything is written.
    package func check(_ docs: [RegisteredDocument]) throws {
        let others = Set(docs.map(\.book)).subtracting([code])
        guard others.isEmpty else {
            throw ReportError(
                .mixedBooks, "Mỗi lần in chỉ một sổ: có văn bản của sổ \(others.sorted().joined(separator: ", ")) lẫn vào sổ \(code).",
                detail: "export of book \(code) given entries of book(s) \(others.sorted().joined(separator: ", ")); choose one with --book")
        }
    }

    /// The cover's lines (bìa sổ): organisation, book, year, period, numbers.
    package func coverLines(_ docs: [RegisteredDocument]) -> (organisation: String, title: String, details: [String]) {
        let dates = RegisterRow.dateFormatter("dd/MM/yyyy", timeZone: timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let years = Set(docs.map { calendar.component(.year, from: $0.arrivedAt) }).sorted()
        var details = ["Sổ: \(code)"]
        if let first = years.first, let last = years.last {
            details.append(first == last ? "Năm: \(first)" : "Năm: \(first)–\(last)")
        } else {
            details.append("Năm: \(calendar.component(.year, from: Date()))")
        }
        if let first = docs.min(by: { $0.arrivedAt < $1.arrivedAt }), let last = docs.max(by: { $0.arrivedAt < $1.arrivedAt }) {
            details.append("Từ ngày \(dates.string(from: first.arrivedAt)) đến ngày \(dates.string(from: last.arrivedAt))")
        }
        if let low = docs.map(\.number).min(), let high = docs.map(\.number).max() {
            details.append("Từ số \(low) đến số \(high)")
        }
        details.append("Quyển số: ……")
        return (organisation.uppercased(), title, details)
    }
}
