import Foundation
import Registry

/// Lays the register out page by page; each finished page goes straight to the file.
final class RegisterPDFWriter {
    // MARK: - page geometry (points; A4 landscape)

    private static let pageWidth = 841.89
    private static let pageHeight = 595.28
    private static let margin = 28.0
    private static let padding = 2.5
    /// Relative column widths, scaled to the printable width.
    private static let weights: [Double] = [60, 34, 92, 72, 60, 172, 86, 60, 50, 88]
    private static let bodyFont = "DejaVu Sans 7.5"
    private static let headerFont = "DejaVu Sans Bold 7.5"

    private let canvas: CairoPDF
    private let columnWidths: [Double]
    private let cells: [PangoText]
    private let headerCells: [PangoText]
    private let heading: PangoText
    private let small: PangoText
    private let organisationName: String
    private let bookTitle: String
    private let dates: DateFormatter
    private var calendar: Calendar

    private var y = 0.0
    private var pageNumber = 0
    private var pageOpen = false
    private var month: (year: Int, month: Int)?
    private var headerHeight = 0.0

    init(path: String, organisationName: String, bookTitle: String, timeZone: TimeZone) throws {
        let canvas = try CairoPDF(path: path, width: Self.pageWidth, height: Self.pageHeight)
        self.canvas = canvas
        let printable = Self.pageWidth - 2 * Self.margin
        let total = Self.weights.reduce(0, +)
        let widths = Self.weights.map { $0 / total * printable }
        columnWidths = widths
        cells = try widths.map {
            try PangoText(canvas: canvas, font: Self.bodyFont, width: $0 - 2 * Self.padding)
        }
        headerCells = try widths.map {
            try PangoText(canvas: canvas, font: Self.headerFont, width: $0 - 2 * Self.padding)
        }
        heading = try PangoText(canvas: canvas, font: "DejaVu Sans Bold 13", width: printable)
        heading.setAlignment(centre: true)
        small = try PangoText(canvas: canvas, font: "DejaVu Sans 8", width: nil)
        self.organisationName = organisationName
        self.bookTitle = bookTitle
        dates = RegisterRow.dateFormatter("dd/MM/yyyy", timeZone: timeZone)
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        for (cell, title) in zip(headerCells, RegisterRow.headers) {
            cell.setAlignment(centre: true)
            cell.setText(title)
        }
        headerHeight = headerCells.map(\.size.height).max().map { $0 + 2 * Self.padding } ?? 0
        for (index, cell) in cells.enumerated() where index == 1 {
            cell.setAlignment(centre: true)
        }
    }

    // MARK: - rows

    func add(_ doc: RegisteredDocument) throws {
        let parts = calendar.dateComponents([.year, .month], from: doc.arrivedAt)
        let docMonth = (year: parts.year ?? 0, month: parts.month ?? 0)
        if month.map({ $0 != docMonth }) ?? true {
            if pageOpen { try endPage() }
            month = docMonth
            beginPage(continued: false)
        }
        let row = RegisterRow(doc, dates: dates)
        for (cell, text) in zip(cells, row.cells) {
            cell.setText(text)
        }
        let height = (cells.map(\.size.height).max() ?? 0) + 2 * Self.padding
        if y + height > Self.pageHeight - Self.margin - 14 {
            try endPage()
            beginPage(continued: true)
        }
        drawRow(cells, height: height, shade: nil)
    }

    func finish() throws {
        if !pageOpen { beginPage(continued: false) }
        try endPage()
        try canvas.finish()
    }

    // MARK: - pages

    private func beginPage(continued: Bool) {
        pageNumber += 1
        pageOpen = true
        y = Self.margin
        small.setText(organisationName)
        small.draw(x: Self.margin, y: y)
        small.setText(bookTitle)
        small.draw(x: Self.pageWidth - Self.margin - small.size.width, y: y)
        y += small.size.height + 6

        var title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
        if let month {
            let mm = month.month < 10 ? "0\(month.month)" : "\(month.month)"
            title += " — Tháng \(mm)/\(month.year)"
        }
        if continued { title += " (tiếp theo)" }
        heading.setText(title)
        heading.draw(x: Self.margin, y: y)
        y += heading.size.height + 8
        drawRow(headerCells, height: headerHeight, shade: 0.9)
    }

    private func endPage() throws {
        small.setText("Trang \(pageNumber)")
        small.draw(x: (Self.pageWidth - small.size.width) / 2, y: Self.pageHeight - Self.margin)
        pageOpen = false
        try canvas.showPage()
    }

    private func drawRow(_ texts: [PangoText], height: Double, shade: Double?) {
        var x = Self.margin
        for (text, width) in zip(texts, columnWidths) {
            canvas.rectangle(x: x, y: y, width: width, height: height, fill: shade)
            text.draw(x: x + Self.padding, y: y + Self.padding)
            x += width
        }
        y += height
    }
}
