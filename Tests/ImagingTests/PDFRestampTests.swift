import Foundation
import Testing
@testable import Imaging
@testable import Stamping

/// A provisional number ("T-3") replaced by the final one with a second incremental update.
@Suite struct PDFRestampTests {
    func stamp(_ number: String) -> ArrivalStamp {
        ArrivalStamp(organisation: "Ủy ban nhân dân huyện Đông Anh", number: number, date: "01/12/2026", time: "07:22")
    }

    @Test func restampKeepsEveryEarlierByteAndShowsOnlyTheFinalNumber() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        try PDFStamper.stamp(pdfAt: path, with: stamp("T-3"))
        let provisional = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(try runTool("pdftotext", ["-f", "1", "-l", "1", path, "-"]).output.contains("Số: T-3"))

        let result = try PDFStamper.restamp(pdfAt: path, with: stamp("48"))
        #expect(result.originalSize == provisional.count)
        let final = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(final.starts(with: provisional), "the provisional file's bytes are kept")

        let check = try runTool("qpdf", ["--check", path])
        #expect(check.status == 0 && !check.output.contains("WARNING"), "\(check.output)")
        let text = try runTool("pdftotext", ["-f", "1", "-l", "1", path, "-"]).output
        #expect(text.contains("Số: 48"), "\(text)")
        #expect(!text.contains("T-3"), "the provisional stamp is no longer drawn: \(text)")
        #expect(!(try runTool("pdftotext", ["-f", "2", "-l", "2", path, "-"]).output.contains("ĐẾN")))
    }

    @Test func restampRefusesAFileNeverStampedAndStampRefusesAStampedOne() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.pdf").path
        _ = try PDFStamperTests().writeScan(at: path)
        let scanned = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: ImagingError.self) { try PDFStamper.restamp(pdfAt: path, with: stamp("48")) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == scanned)
        try PDFStamper.stamp(pdfAt: path, with: stamp("T-1"))
        #expect(throws: ImagingError.self) { try PDFStamper.stamp(pdfAt: path, with: stamp("2")) }
    }
}
