import Foundation
import Registry
import Reports

/// Lays the register out page by page; each finished page goes straight to the file.
final class RegisterPDFWriter {
    // MARK: - page geometry (points; A4 landscape)

    private static let pageWidth = 841.89
    private static let pageHeight = 595.28
    private static let margin = 28.0
    private static let padding = 2.5
    /// Relative column widths, scaled to the printable width.
    private static let weights: [Double] = [60, 34, 92, 72, 60, 172, 86, 60, 50, 88]
    /// The classified book's Độ mật column, after Tên loại và trích yếu.
    private static let secrecyWeight = 50.0
    private static let bodyFont = "DejaVu Sans 7.5"
    private static let headerFont = "DejaVu Sans Bold 7.5"

    private let canvas: CairoPDF
    private let columnWidths: [Double]
    private let cells: [PangoText]
    private let headerCells: [PangoText]
    private let numberCells: [PangoText]
    private var numberHeight = 0.0
    private let heading: PangoText
    private let small: PangoText
    private let organisationName: String
    private let bookTitle: String
    private let book: PrintedBook
    private let dates: DateFormatter
    private var calendar: Calendar

    private var y = 0.0
    private var pageNumber = 0
    private var pageOpen = false
    private var month: (year: Int, month: Int)?
    private var headerHeight = 0.0

    init(path: String, book: PrintedBook, cover: (organisation: String, title: String, details: [String])) throws {
        let canvas = try CairoPDF(path: path, width: Self.pageWidth, height: Self.pageHeight)
        self.canvas = canvas
        self.book = book
        let printable = Self.pageWidth - 2 * Self.margin
        var weights = Self.weights
        if book.classified {
            // Taken from the summary column, so the dates and numbers keep their width.
            weights[RegisterRow.secrecyColumn - 1] -= Self.secrecyWeight
            weights.insert(Self.secrecyWeight, at: RegisterRow.secrecyColumn)
        }
        let total = weights.reduce(0, +)
        let widths = weights.map { $0 / total * printable }
        columnWidths = widths
        cells = try widths.map {
            try PangoText(canvas: canvas, font: Self.bodyFont, width: $0 - 2 * Self.padding)
        }
        headerCells = try widths.map {
            try PangoText(canvas: canvas, font: Self.headerFont, width: $0 - 2 * Self.padding)
        }
        numberCells = try widths.map {
            try PangoText(canvas: canvas, font: Self.bodyFont, width: $0 - 2 * Self.padding)
        }
        heading = try PangoText(canvas: canvas, font: "DejaVu Sans Bold 13", width: printable)
        heading.setAlignment(centre: true)
        small = try PangoText(canvas: canvas, font: "DejaVu Sans 8", width: nil)
        organisationName = book.organisation
        bookTitle = (book.classified ? "Sổ đăng ký văn bản mật đến" : "Sổ đăng ký văn bản đến") + " — \(book.code)"
        dates = RegisterRow.dateFormatter("dd/MM/yyyy", timeZone: book.timeZone)
        calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = book.timeZone
        for (cell, title) in zip(headerCells, RegisterRow.headers(classified: book.classified)) {
            cell.setAlignment(centre: true)
            cell.setText(title)
        }
        headerHeight = headerCells.map(\.size.height).max().map { $0 + 2 * Self.padding } ?? 0
        for (cell, number) in zip(numberCells, RegisterRow.columnNumbers(classified: book.classified)) {
            cell.setAlignment(centre: true)
            cell.setText(number)
        }
        numberHeight = numberCells.map(\.size.height).max().map { $0 + 2 * Self.padding } ?? 0
        for (index, cell) in cells.enumerated() where index == 1 {
            cell.setAlignment(centre: true)
        }
        try drawCover(cover)
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
        let row = RegisterRow(doc, dates: dates, classified: book.classified)
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

    /// The cover (bìa): organisation at the top, the book's name large in the middle, then
    /// book code, year, period and numbers. It carries no page number.
    private func drawCover(_ cover: (organisation: String, title: String, details: [String])) throws {
        let printable = Self.pageWidth - 2 * Self.margin
        let organisation = try PangoText(canvas: canvas, font: "DejaVu Sans Bold 13", width: printable)
        organisation.setAlignment(centre: true)
        organisation.setText(cover.organisation)
        organisation.draw(x: Self.margin, y: Self.margin + 20)
        let title = try PangoText(canvas: canvas, font: "DejaVu Sans Bold 26", width: printable)
        title.setAlignment(centre: true)
        title.setText(cover.title)
        var y = Self.pageHeight * 0.36
        title.draw(x: Self.margin, y: y)
        y += title.size.height + 24
        let line = try PangoText(canvas: canvas, font: "DejaVu Sans 13", width: printable)
        line.setAlignment(centre: true)
        for detail in cover.details {
            line.setText(detail)
            line.draw(x: Self.margin, y: y)
            y += line.size.height + 8
        }
        canvas.rectangle(x: Self.margin / 2, y: Self.margin / 2, width: Self.pageWidth - Self.margin,
                         height: Self.pageHeight - Self.margin)
        try canvas.showPage()
    }

    private func beginPage(continued: Bool) {
        pageNumber += 1
        pageOpen = true
        y = Self.margin
        small.setText(organisationName)
        small.draw(x: Self.margin, y: y)
        small.setText(bookTitle)
        small.draw(x: Self.pageWidth - Self.margin - small.size.width, y: y)
        y += small.size.height + 6

        var title = book.title
        if let month {
            let mm = month.month < 10 ? "0\(month.month)" : "\(month.month)"
            title += " — Tháng \(mm)/\(month.year)"
        }
        if continued { title += " (tiếp theo)" }
        heading.setText(title)
        heading.draw(x: Self.margin, y: y)
        y += heading.size.height + 8
        drawRow(headerCells, height: headerHeight, shade: 0.9)
        drawRow(numberCells, height: numberHeight, shade: 0.9)
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
