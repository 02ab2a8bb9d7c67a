import IntakeCore
import Foundation
import Registry
import Reports
import ReportsPDF
import Testing

@Suite struct ExportTests {
    static let ordinary = PrintedBook(organisation: "UBND tỉnh Hà Giang", code: "DEN", classified: false)
    static let classified = PrintedBook(organisation: "UBND tỉnh Hà Giang", code: "MAT", classified: true)

    /// Two ordinary entries and two classified ones, interleaved in time.
    func mixedRegister(_ fixture: Fixture) throws -> Register {
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument(summary: "Công văn thường một"))
        _ = try register.register(fixture.newDocument(secrecy: .mat, summary: "Báo cáo mật một"))
        _ = try register.register(fixture.newDocument(summary: "Công văn thường hai"))
        _ = try register.register(fixture.newDocument(secrecy: .toiMat, summary: "Báo cáo tối mật hai"))
        return register
    }

    @Test func printedBookHasACoverAndTheColumnNumberRow() throws {
        let fixture = try Fixture()
        let register = try mixedRegister(fixture)
        let path = fixture.root + "/den.pdf"
        try RegisterExport.pdf(try register.list(book: "DEN"), book: Self.ordinary, to: path)
        let pages = try pdftotext(path).components(separatedBy: "\u{0C}")
        let cover = pages[0]
        #expect(cover.contains("UBND TỈNH HÀ GIANG"), "\(cover)")
        #expect(cover.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"), "\(cover)")
        #expect(cover.contains("Năm: 2026"), "\(cover)")
        #expect(cover.contains("Từ ngày 10/03/2026 đến ngày 10/03/2026"), "\(cover)")
        #expect(cover.contains("Từ số 1 đến số 2"), "\(cover)")
        #expect(!cover.contains("Trang"), "the cover carries no page number")
        let table = pages[1]
        #expect(table.contains("(1) (2) (3) (4) (5) (6) (7) (8) (9) (10)"), "\(table)")
        #expect(!table.contains("(11)"))
        #expect(!table.contains("Độ mật"))
        #expect(table.contains("Công văn thường một") && table.contains("Công văn thường hai"))
        #expect(!table.contains("mật một") && !table.contains("tối mật hai"), "no classified entry in the ordinary book")
    }

    @Test func classifiedBookAddsTheSecrecyColumn() throws {
        let fixture = try Fixture()
        let register = try mixedRegister(fixture)
        let path = fixture.root + "/mat.pdf"
        try RegisterExport.pdf(try register.list(book: "MAT"), book: Self.classified, to: path)
        let pages = try pdftotext(path).components(separatedBy: "\u{0C}")
        #expect(pages[0].contains("SỔ ĐĂNG KÝ VĂN BẢN MẬT ĐẾN"), "\(pages[0])")
        #expect(pages[0].contains("Sổ: MAT"))
        let table = pages[1]
        #expect(table.contains("Độ mật"), "\(table)")
        #expect(table.contains("(10) (11)"), "\(table)")
        #expect(table.contains("TỐI MẬT"), "\(table)")
        #expect(!table.contains("Công văn thường"))

        let csv = fixture.root + "/mat.csv"
        try RegisterExport.csv(try register.list(book: "MAT"), book: Self.classified, to: csv)
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: csv)).dropFirst(3), as: UTF8.self)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
        #expect(lines[0].contains("Tên loại và trích yếu nội dung,Độ mật,Đơn vị hoặc người nhận"), "\(lines[0])")
        #expect(lines[1].contains("Báo cáo mật một,MẬT,"), "\(lines[1])")
        #expect(lines[2].contains("Báo cáo tối mật hai,TỐI MẬT,"), "\(lines[2])")
    }

    @Test func anExportNeverMixesBooks() throws {
        let fixture = try Fixture()
        let register = try mixedRegister(fixture)
        let everything = try register.list()
        for write in [
            { try RegisterExport.pdf(everything, book: Self.ordinary, to: fixture.root + "/x.pdf") },
            { try RegisterExport.csv(everything, book: Self.ordinary, to: fixture.root + "/x.csv") },
        ] as [() throws -> Void] {
            #expect { try write() } throws: { ($0 as? ReportError)?.code == .mixedBooks }
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/x.pdf"))
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/x.csv"))
    }
    func sampleRegister(_ fixture: Fixture) throws -> Register {
        let register = try fixture.open()
        _ = try register.register(fixture.newDocument(urgency: .hoaToc, summary: "Quyết định về việc phê duyệt dự án, \"đợt 2\""))
        _ = try register.register(fixture.newDocument(summary: "Công văn hướng dẫn quyết toán"))
        try register.void(book: "DEN", year: 2026, number: 2, reason: "Quét nhầm văn bản")
        fixture.clock.set(vn(2026, 4, 2))
        _ = try register.register(fixture.newDocument(summary: "Giấy mời dự hội nghị tổng kết"))
        return register
    }

    @Test func csvHasBOMVietnameseHeadersAndVoidReasons() throws {
        let fixture = try Fixture()
        let register = try sampleRegister(fixture)
        let path = fixture.root + "/register.csv"
        try RegisterExport.csv(try register.list(book: "DEN", year: 2026, from: nil, to: nil), book: Self.ordinary, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("Ngày đến,Số đến,Tác giả,Số, ký hiệu") == false)  // the comma header is quoted
        #expect(lines[0].contains("Tên loại và trích yếu"))
        #expect(lines[0].contains("Ký nhận"))
        #expect(lines[1].contains("\"Quyết định về việc phê duyệt dự án, \"\"đợt 2\"\"\""))
        #expect(lines[1].contains("HỎA TỐC"))
        #expect(lines[1].hasPrefix("10/03/2026,1,"))
        #expect(lines[2].contains("ĐÃ HỦY: Quét nhầm văn bản"))
        #expect(lines[3].contains("Giấy mời dự hội nghị tổng kết"))
    }

    @Test func pdfShowsVietnameseTextAndAPageGroupPerMonth() throws {
        let fixture = try Fixture()
        let register = try sampleRegister(fixture)
        let path = fixture.root + "/register.pdf"
        try RegisterExport.pdf(try register.list(book: "DEN", year: 2026, from: nil, to: nil), book: Self.ordinary, to: path)
        let text = try pdftotext(path)
        #expect(text.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng 03/2026"))
        #expect(text.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng 04/2026"))
        #expect(text.contains("Tên loại và trích yếu"))
        #expect(text.contains("HỎA TỐC"))
        #expect(text.contains("Giấy mời dự hội nghị tổng kết"))
        #expect(text.contains("ĐÃ HỦY: Quét nhầm văn bản"))
        #expect(text.contains("Trang 2"))
        // Cover + March + April.
        #expect(text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count == 3)
    }

    @Test func longRegisterFlowsOntoMorePages() throws {
        let fixture = try Fixture()
        let docs = (1...120).map { number in
            RegisteredDocument(
                id: "x-\(number)", book: "DEN", year: 2026, number: number, arrivedAt: vn(2026, 5, 1),
                pages: 1, sha256: "", path: "", profile: "p", urgency: .normal, secrecy: .none,
                fields: RegisterFields(summary: String(repeating: "Trích yếu rất dài cần xuống dòng ", count: 4) + "\(number)"))
        }
        let path = fixture.root + "/long.pdf"
        try RegisterExport.pdf(docs, book: Self.ordinary, to: path)
        let text = try pdftotext(path)
        #expect(text.contains("(tiếp theo)"))
        #expect(text.contains("xuống dòng 120"))
    }

    @Test func emptyRegisterStillPrintsAPage() throws {
        let fixture = try Fixture()
        let path = fixture.root + "/empty.pdf"
        try RegisterExport.pdf([], book: Self.ordinary, to: path)
        #expect(try pdftotext(path).contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"))
    }

    private func pdftotext(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // Cells wrap, so words of one phrase may land on different lines: compare with single spaces.
        let text = String(decoding: data, as: UTF8.self).precomposedStringWithCanonicalMapping
        return text.split(separator: "\u{0C}", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
            .joined(separator: "\u{0C}")
    }
}
