import Foundation
import Testing
@testable import Imaging
@testable import Stamping

/// The recognised words of page 1 as an invisible text layer, added as an incremental update.
@Suite struct PDFTextLayerTests {
    /// Words on the colour page (1654 × 2339 pixels at 200 dpi), as intake-ocr gives them.
    static let words = [
        TextLayerWord(text: "CỘNG", left: 820, top: 120, right: 1010, bottom: 170),
        TextLayerWord(text: "HÒA", left: 1030, top: 120, right: 1180, bottom: 170),
        TextLayerWord(text: "QUYẾT", left: 200, top: 600, right: 420, bottom: 660),
        TextLayerWord(text: "ĐỊNH", left: 440, top: 600, right: 620, bottom: 660),
        TextLayerWord(text: "Hưng", left: 200, top: 700, right: 340, bottom: 750),
        TextLayerWord(text: "Yên", left: 360, top: 700, right: 460, bottom: 750),
    ]

    func stamp(_ number: String) -> ArrivalStamp {
        ArrivalStamp(organisation: "Ủy ban nhân dân huyện Đông Anh", number: number, date: "01/12/2026", time: "07:22")
    }

    /// Object numbers of the image XObjects `PDFWriter` wrote.
    func imageObjects(_ path: String) throws -> [Int] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let pattern = try Regex(#"(\d+) 0 obj\n<< /Type /XObject /Subtype /Image"#)
        return text.matches(of: pattern).compactMap { Int(String(text[$0.range]).prefix { $0.isNumber }) }
    }

    func rawStreams(_ path: String, _ objects: [Int]) throws -> [Data] {
        try objects.map { try runTool("qpdf", ["--show-object=\($0)", "--raw-stream-data", path]).data }
    }

    func pageText(_ path: String, page: Int = 1) throws -> String {
        try runTool("pdftotext", ["-f", "\(page)", "-l", "\(page)", path, "-"]).output
    }

    func check(_ path: String) throws {
        let check = try runTool("qpdf", ["--check", path])
        #expect(check.status == 0 && !check.output.contains("WARNING"), "\(check.output)")
    }

    @Test func layerOverAStampedScanIsFoundByPdftotextAndLeavesImageStreamsByteIdentical() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        let images = try imageObjects(path)
        #expect(images.count == 2)
        let scanned = try rawStreams(path, images)
        #expect(scanned.allSatisfy { $0.count > 1000 })
        try PDFStamper.stamp(pdfAt: path, with: stamp("12"))
        let stamped = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!(try pageText(path)).contains("QUYẾT"))

        let result = try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 1654, imageHeight: 2339)
        #expect(result.words == Self.words.count)
        #expect(result.originalSize == stamped.count)
        let layered = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(layered.count == result.updatedSize)
        #expect(layered.starts(with: stamped), "the stamped file's bytes are kept")
        try check(path)
        #expect(try rawStreams(path, images) == scanned, "image streams are byte-identical")
        let text = try pageText(path)
        for word in ["CỘNG HÒA", "QUYẾT ĐỊNH", "Hưng Yên", "Số: 12"] {
            #expect(text.contains(word), "\(word) in \(text)")
        }
        #expect(!(try pageText(path, page: 2)).contains("QUYẾT"), "page 2 has no layer")
    }

    @Test func wordsLieOnTheirBoxesInPagePoints() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 1654, imageHeight: 2339)
        try check(path)
        // pdftotext -bbox: each word's box in points; the page is 1654 px at 200 dpi = 595.44 pt wide.
        let html = try runTool("pdftotext", ["-bbox", "-f", "1", "-l", "1", path, "-"]).output
        let scale = 72.0 / 200
        for word in Self.words {
            guard let line = html.split(separator: "\n").first(where: { $0.contains(">\(word.text)<") }) else {
                Issue.record("\(word.text) not in \(html)")
                continue
            }
            func value(_ key: String) -> Double {
                guard let range = line.range(of: "\(key)=\"") else { return -1 }
                return Double(line[range.upperBound...].prefix { $0 != "\"" }) ?? -1
            }
            #expect(abs(value("xMin") - Double(word.left) * scale) < 1, "\(line)")
            #expect(abs(value("xMax") - Double(word.right) * scale) < 1.5, "Tz fits the width: \(line)")
            #expect(value("yMin") > Double(word.top) * scale - 4 && value("yMax") < Double(word.bottom) * scale + 4, "\(line)")
        }
    }

    @Test func restampAfterTheLayerKeepsTheLayerAndShowsTheFinalNumber() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        let images = try imageObjects(path)
        let scanned = try rawStreams(path, images)
        try PDFStamper.stamp(pdfAt: path, with: stamp("T-12"))
        try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 1654, imageHeight: 2339)
        let layered = try Data(contentsOf: URL(fileURLWithPath: path))

        try PDFStamper.restamp(pdfAt: path, with: stamp("48"))
        let final = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(final.starts(with: layered))
        try check(path)
        #expect(try rawStreams(path, images) == scanned)
        let text = try pageText(path)
        #expect(text.contains("Số: 48"), "\(text)")
        #expect(!text.contains("T-12"), "\(text)")
        #expect(text.contains("QUYẾT ĐỊNH") && text.contains("Hưng Yên"), "the layer survives the restamp: \(text)")

        // A second restamp keeps it too; a second layer is refused.
        try PDFStamper.restamp(pdfAt: path, with: stamp("49"))
        try check(path)
        let again = try pageText(path)
        #expect(again.contains("Số: 49") && again.contains("QUYẾT ĐỊNH") && !again.contains("Số: 48"), "\(again)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: ImagingError.self) {
            try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 1654, imageHeight: 2339)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func anUnstampedScanGetsTheLayerAndCanBeStampedAfterwards() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 1654, imageHeight: 2339)
        try check(path)
        #expect(try pageText(path).contains("QUYẾT ĐỊNH"))
        // What PDFArrivalStamper does: a file with an update is restamped.
        #expect(throws: ImagingError.self) { try PDFStamper.stamp(pdfAt: path, with: stamp("7")) }
        try PDFStamper.restamp(pdfAt: path, with: stamp("7"))
        try check(path)
        let text = try pageText(path)
        #expect(text.contains("Số: 7") && text.contains("QUYẾT ĐỊNH"), "\(text)")
    }

    @Test func noWordsOrAForeignFileIsRefusedAndTheFileIsUnchanged() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        let scanned = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: ImagingError.self) { try PDFTextLayer.add(to: path, words: [], imageWidth: 1654, imageHeight: 2339) }
        #expect(throws: ImagingError.self) { try PDFTextLayer.add(to: path, words: Self.words, imageWidth: 0, imageHeight: 2339) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == scanned)
        let other = dir.appendingPathComponent("other.pdf").path
        try Data("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: other))
        #expect(throws: ImagingError.self) { try PDFTextLayer.add(to: other, words: Self.words, imageWidth: 10, imageHeight: 10) }
    }
}
