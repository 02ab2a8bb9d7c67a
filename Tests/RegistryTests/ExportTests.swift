import Foundation
import Registry
import Reports
import Testing

@Suite struct ExportTests {
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
        try RegisterExport.csv(try register.list(book: "DEN", year: 2026, from: nil, to: nil), to: path)
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
        try RegisterExport.pdf(
            try register.list(book: "DEN", year: 2026, from: nil, to: nil),
            organisationName: "UBND TỈNH HÀ GIANG", bookTitle: "Sổ văn bản đến", to: path)
        let text = try pdftotext(path)
        #expect(text.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng 03/2026"))
        #expect(text.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — Tháng 04/2026"))
        #expect(text.contains("Tên loại và trích yếu"))
        #expect(text.contains("HỎA TỐC"))
        #expect(text.contains("Giấy mời dự hội nghị tổng kết"))
        #expect(text.contains("ĐÃ HỦY: Quét nhầm văn bản"))
        #expect(text.contains("Trang 2"))
        #expect(text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count == 2)
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
        try RegisterExport.pdf(docs, organisationName: "UBND", bookTitle: "Sổ", to: path)
        let text = try pdftotext(path)
        #expect(text.contains("(tiếp theo)"))
        #expect(text.contains("xuống dòng 120"))
    }

    @Test func emptyRegisterStillPrintsAPage() throws {
        let fixture = try Fixture()
        let path = fixture.root + "/empty.pdf"
        try RegisterExport.pdf([], organisationName: "UBND", bookTitle: "Sổ", to: path)
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
