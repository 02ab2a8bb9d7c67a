import IntakeCore
import Foundation
public import Registry

/// The register printed: CSV for spreadsheets here, PDF for binding in ReportsPDF (Sổ đăng ký văn
/// bản đến), which alone links cairo and pango.
public enum RegisterExport {
    /// Writes one book's `docs` as CSV: UTF-8 with BOM, CRLF, the ten Decree 30 columns (eleven
    /// with Độ mật in the classified book) with Vietnamese headers; voided entries keep their
    /// row with "ĐÃ HỦY: <reason>" in Ghi chú. Entries of another book are refused.
    public static func csv(_ docs: [RegisteredDocument], book: PrintedBook, to path: String) throws {
        try book.check(docs)
        // Opened as every Unix tool opens its output: a FIFO, a terminal or /dev/stdout is
        // written into and a symlink followed, never replaced by a new regular file.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportError(.cannotWrite, "Không ghi được tệp sổ đăng ký.", detail: "open \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let dates = RegisterRow.dateFormatter("dd/MM/yyyy", timeZone: book.timeZone)
        var buffer = Data([0xEF, 0xBB, 0xBF])
        buffer.append(contentsOf: line(RegisterRow.headers(classified: book.classified)).utf8)
        do {
            for doc in docs {
                buffer.append(contentsOf: line(RegisterRow(doc, dates: dates, classified: book.classified).cells).utf8)
                if buffer.count > 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            if lseek(fd, 0, SEEK_CUR) >= 0 { try? handle.synchronize() }
        } catch {
            throw ReportError(.cannotWrite, "Không ghi được tệp sổ đăng ký.", detail: "write \(path): \(error)")
        }
    }

    private static func line(_ cells: [String]) -> String {
        cells.map(quote).joined(separator: ",") + "\r\n"
    }

    private static func quote(_ cell: String) -> String {
        // A cell a spreadsheet would run as a formula (=, +, -, @, or a tab/CR before one) is
        // neutralised with a leading apostrophe, as OWASP's CSV-injection advice says.
        let cell = cell.first.map { "=+-@\t\r".contains($0) } == true ? "'" + cell : cell
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// What the CLI hands `intake-register-pdf` on its standard input: the printed register is drawn
/// by cairo and pango in that separate program, so neither the daemon nor any other command maps
/// them (issue 13: a process maps only what it uses).
public struct RegisterPrintRequest: Codable, Sendable {
    public static let program = "intake-register-pdf"
    public var book: PrintedBook
    public var documents: [RegisteredDocument]

    public init(book: PrintedBook, documents: [RegisteredDocument]) {
        self.book = book
        self.documents = documents
    }
}
