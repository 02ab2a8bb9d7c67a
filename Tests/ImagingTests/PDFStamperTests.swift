import Foundation
import Testing
@testable import Imaging
@testable import Stamping

@Suite struct PDFStamperTests {
    static let stamp = ArrivalStamp(
        organisation: "Ủy ban nhân dân huyện Đông Anh", number: "12", date: "01/12/2026", time: "07:22")

    /// Two pages: A4 colour at 200 dpi (a dark block low on the page) and A5 gray at 200 dpi.
    func writeScan(at path: String) throws -> [EncodedPage] {
        var colour = Canvas(width: 1654, height: 2339, space: .rgb, dpi: 200)
        colour.fill(x: 200, y: 1800, width: 600, height: 200)
        var gray = Canvas(width: 1165, height: 1654, space: .gray, dpi: 200)
        gray.gradient()
        let pages = try [colour, gray].map { try PageEncoder.encode($0.raster, jpegQuality: 80) }
        let writer = try PDFWriter(path: path, metadata: PDFMetadata(title: "Văn bản đến"))
        for page in pages { try writer.add(page) }
        try writer.finish()
        return pages
    }

    @Test func stampedPDFPassesQpdfAndPdftotextReadsNumberDateAndVietnameseLabels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)
        let result = try PDFStamper.stamp(pdfAt: path, with: Self.stamp)
        #expect(result.stampedSize > result.originalSize)

        let check = try runTool("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.output)")
        #expect(!check.output.contains("WARNING"), "\(check.output)")

        let text = try runTool("pdftotext", ["-f", "1", "-l", "1", path, "-"])
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("Số: 12"), "\(text.output)")
        #expect(text.output.contains("Ngày: 01/12/2026"), "\(text.output)")
        #expect(text.output.contains("Giờ: 07:22"), "\(text.output)")
        #expect(text.output.contains("ĐẾN"), "\(text.output)")
        #expect(text.output.contains("Chuyển:"), "\(text.output)")
        #expect(text.output.contains("Số và ký hiệu hồ sơ:"), "\(text.output)")
        #expect(text.output.contains("ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH"), "\(text.output)")
        // Page 2 carries no stamp.
        let second = try runTool("pdftotext", ["-f", "2", "-l", "2", path, "-"])
        #expect(!second.output.contains("ĐẾN"), "\(second.output)")

        let fonts = try runTool("pdffonts", [path])
        #expect(fonts.output.contains("DejaVuSans"), "\(fonts.output)")
        #expect(fonts.output.contains("CID TrueType"), "\(fonts.output)")
        // emb sub uni: embedded, subset, with a ToUnicode map.
        let fontLine = fonts.output.split(separator: "\n").first { $0.contains("DejaVuSans") } ?? ""
        #expect(fontLine.contains("yes yes yes"), "\(fonts.output)")
    }

    /// The subset cut ahead (while the pages are scanned) serves a stamp with any number, date and
    /// time: no second subset is cut, and the digits it never drew when prepared are readable.
    @Test func aFontPreparedAheadServesAnyNumberDateAndTime() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)
        var prepared = Self.stamp
        prepared.organisation = "Sở Tư pháp tỉnh Hà Giang \(UUID().uuidString.prefix(4))"  // a subset no other test cuts
        try PDFStamper.prepare(prepared)
        let cut = try PDFStamper.font(for: prepared)
        var later = prepared
        later.number = "T-987"
        later.date = "31/05/2027"
        later.time = "18:46"
        let reused = try PDFStamper.font(for: later)
        #expect(reused.data == cut.data, "the same subset, not a second one")
        try PDFStamper.stamp(pdfAt: path, with: later)
        let text = try runTool("pdftotext", ["-f", "1", "-l", "1", path, "-"])
        #expect(text.output.contains("Số: T-987"), "\(text.output)")
        #expect(text.output.contains("Ngày: 31/05/2027"), "\(text.output)")
        #expect(text.output.contains("Giờ: 18:46"), "\(text.output)")
    }

    @Test func imageStreamsAndOriginalBytesStayExactlyAsScanned() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        let pages = try writeScan(at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try PDFStamper.stamp(pdfAt: path, with: Self.stamp)
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after.prefix(before.count) == before, "the update only appends")

        // qpdf decodes the stamped file's structure; the image XObjects (4 and 8: image, its
        // length, content, page per page) are the encoder's bytes.
        for (index, object) in [4, 8].enumerated() {
            let raw = try runTool("qpdf", ["--show-object=\(object)", "--raw-stream-data", path])
            #expect(raw.status == 0)
            let same = [UInt8](raw.data) == pages[index].data
            #expect(same, "image stream of page \(index + 1): \(raw.data.count) bytes, encoded \(pages[index].data.count)")
        }
    }

    @Test func fontIsASubsetOfAFewKilobytes() throws {
        let font = try FontSubset(fontPath: ArrivalStamp.defaultFontPath, characters: Self.stamp.characters())
        #expect(font.data.count < 40_000, "\(font.data.count) bytes")
        let original = try FileManager.default.attributesOfItem(atPath: ArrivalStamp.defaultFontPath)[.size] as? Int ?? 0
        #expect(font.data.count * 10 < original)
        // Every character of the stamp has a glyph of its own.
        for scalar in "ĐẾNSốàýệỦ".unicodeScalars { #expect(font.glyphs[scalar] != nil, "\(scalar)") }
        #expect(Set(font.glyphs.values).count == font.glyphs.count)
    }

    @Test(arguments: StampPlacement.Corner.allCases)
    func stampIsDrawnInsideThePageAtItsCorner(corner: StampPlacement.Corner) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)  // page 1: 595.44 × 842.04 pt
        var stamp = Self.stamp
        stamp.placement = StampPlacement(corner: corner, marginMM: 8)
        try PDFStamper.stamp(pdfAt: path, with: stamp)

        let box = try runTool("pdftotext", ["-bbox", "-f", "1", "-l", "1", path, "-"])
        let words = Self.words(box.output)
        let pageWidth = 1654.0 / 200 * 72, pageHeight = 2339.0 / 200 * 72
        #expect(!words.isEmpty)
        for word in words {
            #expect(word.xMin >= 0 && word.yMin >= 0 && word.xMax <= pageWidth && word.yMax <= pageHeight, "\(word)")
        }
        // All words lie in the 50 × 35 mm box at the chosen corner (pdftotext's y grows downwards).
        let margin = 8 / 25.4 * 72, w = 50 / 25.4 * 72, h = 35 / 25.4 * 72
        let left = corner == .topLeft || corner == .bottomLeft ? margin : pageWidth - margin - w
        let top = corner == .topLeft || corner == .topRight ? margin : pageHeight - margin - h
        for word in words {
            #expect(word.xMin >= left - 0.5 && word.xMax <= left + w + 0.5, "\(word.text) x \(word.xMin)…\(word.xMax)")
            #expect(word.yMin >= top - 0.5 && word.yMax <= top + h + 0.5, "\(word.text) y \(word.yMin)…\(word.yMax)")
        }
    }

    @Test func aPageTooSmallForTheStampGetsAShrunkStampInsideIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("slip.pdf").path
        // A 2 × 1.5 inch slip: smaller than the 50 × 35 mm stamp plus its margins.
        let canvas = Canvas(width: 400, height: 300, space: .gray, dpi: 200)
        let writer = try PDFWriter(path: path, metadata: PDFMetadata(title: "slip"))
        try writer.add(PageEncoder.encode(canvas.raster))
        try writer.finish()
        try PDFStamper.stamp(pdfAt: path, with: Self.stamp)
        #expect(try runTool("qpdf", ["--check", path]).status == 0)
        let box = try runTool("pdftotext", ["-bbox", path, "-"])
        let words = Self.words(box.output)
        #expect(words.contains { $0.text == "12" })
        for word in words {
            #expect(word.xMin >= 0 && word.yMin >= 0 && word.xMax <= 144 && word.yMax <= 108, "\(word)")
        }
    }

    @Test func aLongOrganisationNameGoesOnTwoLinesInsideTheFrame() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)
        var stamp = Self.stamp
        stamp.organisation = "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Bà Rịa - Vũng Tàu"
        try PDFStamper.stamp(pdfAt: path, with: stamp)
        let text = try runTool("pdftotext", ["-f", "1", "-l", "1", path, "-"]).output
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // The name comes back whole, on two lines of similar length.
        #expect(lines.count >= 2 && lines[0] + " " + lines[1] == "VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI VÀ HỘI ĐỒNG NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU",
                "\(text)")
        #expect(lines.count >= 2 && abs(lines[0].count - lines[1].count) < 10, "\(text)")
        let words = Self.words(try runTool("pdftotext", ["-bbox", "-f", "1", "-l", "1", path, "-"]).output)
        let pageWidth = 1654.0 / 200 * 72
        let margin = 8 / 25.4 * 72, w = 50 / 25.4 * 72, h = 35 / 25.4 * 72
        for word in words {
            #expect(word.xMin >= pageWidth - margin - w - 0.5 && word.xMax <= pageWidth - margin + 0.5, "\(word)")
            #expect(word.yMin >= margin - 0.5 && word.yMax <= margin + h + 0.5, "\(word)")
        }
        // The two name lines stay above the number.
        let number = try #require(words.first { $0.text == "12" })
        let name = try #require(words.first { $0.text == "ĐỒNG" })
        #expect(name.yMax <= number.yMin, "\(name) above \(number)")
    }

    @Test func stampingTwiceOrAForeignFileIsRefusedAndLeavesTheFileAlone() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)
        try PDFStamper.stamp(pdfAt: path, with: Self.stamp)
        let stamped = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect { try PDFStamper.stamp(pdfAt: path, with: Self.stamp) } throws: { ($0 as? ImagingError)?.code == .unstampable }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == stamped)

        let foreign = dir.appendingPathComponent("foreign.pdf").path
        try Data("%PDF-1.7\nnot really a pdf at all, just some bytes to make it long enough to read\n".utf8)
            .write(to: URL(fileURLWithPath: foreign))
        #expect { try PDFStamper.stamp(pdfAt: foreign, with: Self.stamp) } throws: { ($0 as? ImagingError)?.code == .unstampable }
    }

    @Test func aMissingFontIsAFontError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try writeScan(at: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var stamp = Self.stamp
        stamp.fontPath = dir.appendingPathComponent("missing.ttf").path
        #expect { try PDFStamper.stamp(pdfAt: path, with: stamp) } throws: { ($0 as? ImagingError)?.code == .fontFailed }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    struct Word: CustomStringConvertible {
        var text: String
        var xMin, yMin, xMax, yMax: Double
        var description: String { "\(text) [\(xMin), \(yMin), \(xMax), \(yMax)]" }
    }

    /// Words from `pdftotext -bbox` (XHTML: <word xMin="…" yMin="…" xMax="…" yMax="…">text</word>).
    static func words(_ xhtml: String) -> [Word] {
        xhtml.split(separator: "\n").compactMap { line -> Word? in
            guard line.contains("<word") else { return nil }
            func attribute(_ name: String) -> Double? {
                guard let start = line.range(of: "\(name)=\"") else { return nil }
                return Double(line[start.upperBound...].prefix { $0 != "\"" })
            }
            guard let x0 = attribute("xMin"), let y0 = attribute("yMin"), let x1 = attribute("xMax"), let y1 = attribute("yMax"),
                  let open = line.range(of: "\">"), let close = line.range(of: "</word>")
            else { return nil }
            return Word(text: String(line[open.upperBound..<close.lowerBound]), xMin: x0, yMin: y0, xMax: x1, yMax: y1)
        }
    }
}
