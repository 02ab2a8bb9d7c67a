import Foundation
public import Registry
public import Reports

extension RegisterExport {
    /// Writes one book's `docs` as a printable register: A4 landscape, a cover page (bìa:
    /// organisation, book, year, period, numbers), then a new page group per month headed
    /// "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng MM/YYYY", a ruled table of the decree's columns with their
    /// (1)…(10) number row — (1)…(11) with Độ mật in the classified book — text wrapped in its
    /// cell (pango, DejaVu Sans), page numbers. Pages are streamed to the file. Entries of
    /// another book are refused.
    public static func pdf(_ docs: [RegisteredDocument], book: PrintedBook, to path: String) throws {
        try book.check(docs)
        let writer = try RegisterPDFWriter(path: path, book: book, cover: book.coverLines(docs))
        for doc in docs {
            try writer.add(doc)
        }
        try writer.finish()
    }
}
