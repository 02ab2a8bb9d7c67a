import Foundation
import Testing
@testable import HeaderReading

/// Header pages drawn by the test (pango-view renders each piece with DejaVu, pdftoppm rasterises
/// it at 300 dpi, the test places the pieces on an A4-wide band, stamps the marks in red and
/// skews the page 2°), read by the real intake-ocr with Debian's Vietnamese model.
@Suite(.serialized) struct DrawnHeaderTests {
    struct Result: Decodable { var fields: HeaderFields; var seconds: Double; var words: [OCRLine]; var width: Int; var height: Int }

    static func ocr(_ path: String) throws -> Result {
        let binary = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("intake-ocr").path
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/intake-ocr").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: binary) ? binary : fallback)
        process.arguments = ["--band", "1", path]
        process.environment = ["OMP_THREAD_LIMIT": "1"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(Result.self, from: data)
    }


    @Test func aCongVanWithARedSecrecyMarkAndSkewIsRead() throws {
        guard HeaderPage.tools.allSatisfy(FileManager.default.isExecutableFile) else {
            Issue.record("pango-view and pdftoppm are needed (scripts/setup.sh installs them)")
            return
        }
        let directory = NSTemporaryDirectory() + "ocr-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["KEEP_OCR"] == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let path = directory + "/header.ppm"
        try HeaderPage.draw(HeaderPage.layout(body: "SỞ TÀI CHÍNH", parent: "UBND TỈNH HƯNG YÊN", notation: "1234/STC-NS", place: "Hưng Yên",
                                  date: (14, 11, 2026), type: nil, summary: "dự toán ngân sách năm 2027", marks: ["MẬT"]),
                      degrees: 2, to: path)
        let result = try Self.ocr(path)
        #expect(result.fields.notation?.value == "1234/STC-NS")
        #expect(result.fields.documentDate?.value == "2026-11-14")
        #expect(result.fields.secrecyMark?.value == "mat")
        #expect(result.fields.documentType?.value == "CÔNG VĂN")
    }

    @Test func aPartyQuyetDinhWithHoaTocIsRead() throws {
        guard HeaderPage.tools.allSatisfy(FileManager.default.isExecutableFile) else {
            Issue.record("pango-view and pdftoppm are needed (scripts/setup.sh installs them)")
            return
        }
        let directory = NSTemporaryDirectory() + "ocr-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/header.ppm"
        try HeaderPage.draw(HeaderPage.layout(body: "BAN TỔ CHỨC", parent: "TỈNH ỦY HƯNG YÊN", notation: "89-CV/BTCTU", place: "Hưng Yên",
                                  date: (2, 3, 2026), type: "QUYẾT ĐỊNH", summary: "Về việc điều động cán bộ", marks: ["HỎA TỐC"], party: true),
                      degrees: -2, to: path)
        let result = try Self.ocr(path)
        #expect(result.fields.notation?.value == "89-CV/BTCTU")
        #expect(result.fields.documentDate?.value == "2026-03-02")
        #expect(result.fields.urgencyMark?.value == "hoa_toc")
        #expect(result.fields.documentType?.value == "QUYẾT ĐỊNH")
        #expect(result.fields.secrecyMark == nil)
    }

    /// The words come with boxes where they were drawn (the input of an invisible text layer).
    @Test func everyWordComesWithItsBoxOnThePage() throws {
        guard HeaderPage.tools.allSatisfy(FileManager.default.isExecutableFile) else {
            Issue.record("pango-view and pdftoppm are needed (scripts/setup.sh installs them)")
            return
        }
        let directory = NSTemporaryDirectory() + "ocr-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/header.ppm"
        try HeaderPage.draw(HeaderPage.layout(body: "SỞ Y TẾ", parent: "UBND TỈNH THÁI BÌNH", notation: "77/SYT-VP", place: "Thái Bình",
                                              date: (30, 1, 2026), type: nil, summary: "tổ chức khám sức khỏe", marks: []),
                            degrees: 0, to: path)
        let result = try Self.ocr(path)
        #expect(result.width == 2480 && result.height == 1400)
        let so = try #require(result.words.first { $0.text == "Số:" }, "\(result.words.map(\.text))")
        // "Số: …" is drawn at x = 220, y = 260 in 13 pt at 300 dpi (glyphs about 54 px high).
        #expect(abs(so.left - 220) < 30 && so.top >= 250 && so.bottom <= 340 && so.bottom > so.top, "\(so)")
        let month = try #require(result.words.first { $0.text == "tháng" }, "\(result.words.map(\.text))")
        // The place and date line starts at x = 1300 on the same baseline.
        #expect(month.left > 1300 && month.top >= 250 && month.bottom <= 340, "\(month)")
        #expect(month.left > so.right)
        #expect(result.words.count >= 25, "every word of the band, not only the lines: \(result.words.count)")
    }
}
