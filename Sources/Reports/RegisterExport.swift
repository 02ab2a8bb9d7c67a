public import Foundation
public import Registry

/// The register printed: CSV for spreadsheets, PDF for binding (Sổ đăng ký văn bản đến).
public enum RegisterExport {
    /// Writes `docs` as CSV: UTF-8 with BOM, CRLF, the ten Decree 30 columns with Vietnamese
    /// headers; voided entries keep their row with "ĐÃ HỦY: <reason>" in Ghi chú.
    public static func csv(
        _ docs: [RegisteredDocument], to path: String,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
    ) throws {
        // Opened as every Unix tool opens its output: a FIFO, a terminal or /dev/stdout is
        // written into and a symlink followed, never replaced by a new regular file.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportError(.cannotWrite, "Không ghi được tệp sổ đăng ký.", detail: "open \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let dates = RegisterRow.dateFormatter("dd/MM/yyyy", timeZone: timeZone)
        var buffer = Data([0xEF, 0xBB, 0xBF])
        buffer.append(contentsOf: line(RegisterRow.headers).utf8)
        do {
            for doc in docs {
                buffer.append(contentsOf: line(RegisterRow(doc, dates: dates).cells).utf8)
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

    /// Writes `docs` as a printable register: A4 landscape, a new page group per month headed
    /// "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng MM/YYYY", a ruled table of the ten columns with text
    /// wrapped in its cell (pango, DejaVu Sans), page numbers. Pages are streamed to the file.
    public static func pdf(
        _ docs: [RegisteredDocument], organisationName: String, bookTitle: String, to path: String,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
    ) throws {
        let writer = try RegisterPDFWriter(
            path: path, organisationName: organisationName, bookTitle: bookTitle, timeZone: timeZone)
        for doc in docs {
            try writer.add(doc)
        }
        try writer.finish()
    }
}
