import Foundation
import Testing
@testable import Imaging

@Suite struct PDFWriterTests {
    static let vietnameseTitle = "Công văn số 123/UBND-VP về việc tăng cường quản lý"

    /// Three mixed pages: A4 lineart at 300 dpi, Letter gray at 100 dpi, small colour at 200 dpi.
    func writeMixedPDF(at path: String, date: Date = Date()) throws -> [EncodedPage] {
        var lineart = Canvas(width: 2480, height: 3508, space: .bilevel)
        lineart.textLine(y: 300, fromX: 200, toX: 2200)
        var gray = Canvas(width: 850, height: 1100, space: .gray, dpi: 100)
        gray.gradient()
        var colour = Canvas(width: 400, height: 600, space: .rgb, dpi: 200)
        colour.gradient()
        let pages = try [lineart, gray, colour].map { try PageEncoder.encode($0.raster) }
        let writer = try PDFWriter(path: path, metadata: PDFMetadata(
            title: Self.vietnameseTitle, author: "Văn thư", creationDate: date,
            timeZone: TimeZone(secondsFromGMT: 7 * 3600) ?? .current))
        for page in pages { try writer.add(page) }
        #expect(writer.pageCount == 3)
        try writer.finish()
        return pages
    }

    @Test func mixedDocumentPassesQpdfCheckAndReportsPagesSizesVersionAndTitle() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeMixedPDF(at: path)

        let check = try runTool("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("WARNING"), "\(check.output)")

        let info = try runTool("pdfinfo", ["-f", "1", "-l", "3", path])
        #expect(info.status == 0)
        #expect(info.output.contains("Pages:           3"), "\(info.output)")
        #expect(info.output.contains("PDF version:     1.4"))
        #expect(info.output.contains("Title:           \(Self.vietnameseTitle)"), "\(info.output)")
        #expect(info.output.contains("Author:          Văn thư"))
        #expect(info.output.contains("Producer:        Intake"))
        #expect(info.output.contains("Page    1 size:  595.2 x 841.92 pts"), "\(info.output)")  // A4 @ 300 dpi
        #expect(info.output.contains("Page    2 size:  612 x 792 pts"))                          // Letter @ 100 dpi
        #expect(info.output.contains("Page    3 size:  144 x 216 pts"))                          // 2×3 in @ 200 dpi
    }

    @Test func creationDateCarriesTheRealUTCOffset() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        // 2026-11-23 13:05:09 UTC = 20:05:09 in Hà Nội (+07:00)
        _ = try writeMixedPDF(at: path, date: Date(timeIntervalSince1970: 1_795_439_109))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(String(decoding: bytes, as: UTF8.self).contains("/CreationDate (D:20261123200509+07'00')"))
        let info = try runTool("pdfinfo", ["-isodates", path])
        #expect(info.output.contains("2026-11-23T20:05:09+07"), "\(info.output)")
    }

    @Test(arguments: [
        (0, "D:20261123130509+00'00'"),
        (-5 * 3600 - 30 * 60, "D:20261123073509-05'30'"),
        (7 * 3600, "D:20261123200509+07'00'"),
    ])
    func pdfDateFormatsOffsets(seconds: Int, expected: String) throws {
        let zone = try #require(TimeZone(secondsFromGMT: seconds))
        #expect(PDFSyntax.date(Date(timeIntervalSince1970: 1_795_439_109), timeZone: zone) == expected)
    }

    @Test(arguments: [
        ("Plain (ASCII) \\ title", "(Plain \\(ASCII\\) \\\\ title)"),
        ("Đ", "<FEFF0110>"),
        ("e\u{0302}\u{0301}", "<FEFF1EBF>"),  // decomposed ế is NFC-normalised
    ])
    func textStringsAreEscapedOrUTF16(_ text: String, expected: String) {
        #expect(PDFSyntax.textString(text) == expected)
    }

    @Test(arguments: [ColorSpace.bilevel, .gray, .rgb])
    func renderedPageShowsABlackStrokeBlackAtItsPlace(space: ColorSpace) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("stroke.pdf").path
        // 400×300 px at 100 dpi; a black bar near the top-left, everything else white.
        var canvas = Canvas(width: 400, height: 300, space: space, dpi: 100)
        canvas.fill(x: 40, y: 30, width: 120, height: 20)
        let writer = try PDFWriter(path: path, metadata: PDFMetadata(title: "stroke"))
        try writer.add(PageEncoder.encode(canvas.raster, jpegQuality: 90))
        try writer.finish()

        let prefix = dir.appendingPathComponent("render").path
        let render = try runTool("pdftoppm", ["-r", "100", "-gray", "-singlefile", path, prefix])
        #expect(render.status == 0, "\(render.output)")
        let map = try GrayMap(path: prefix + ".pgm")
        #expect(map.width == 400 && map.height == 300)
        #expect(map.mean(x: 50, y: 35, width: 100, height: 10) < 30, "stroke must render black")
        #expect(map.mean(x: 250, y: 150, width: 100, height: 100) > 225, "paper must render white")
        #expect(map.mean(x: 50, y: 250, width: 100, height: 10) > 225, "not flipped vertically")
    }

    @Test func usingAWriterAfterFinishOrWithoutPagesFails() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try PDFWriter(path: dir.appendingPathComponent("empty.pdf").path, metadata: PDFMetadata(title: "x"))
        #expect(throws: ImagingError.self) { try empty.finish() }

        let writer = try PDFWriter(path: dir.appendingPathComponent("one.pdf").path, metadata: PDFMetadata(title: "x"))
        let page = try PageEncoder.encode(Raster.blank(width: 16, height: 16, colorSpace: .bilevel, resolution: 200))
        try writer.add(page)
        try writer.finish()
        #expect(throws: ImagingError.self) { try writer.add(page) }
    }

    @Test func unwritableDestinationIsAWriteFailure() {
        #expect {
            _ = try PDFWriter(path: "/nonexistent-dir/x.pdf", metadata: PDFMetadata(title: "x"))
        } throws: { error in
            (error as? ImagingError)?.code == .writeFailed
        }
    }
}
