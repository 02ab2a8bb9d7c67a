import Testing
@testable import HeaderReading

/// The parser on lines as OCR returns them (positions in a 2480-px-wide band), without Tesseract.
@Suite struct HeaderParserTests {
    func line(_ text: String, _ left: Int, _ top: Int, width: Int = 700, confidence: Double = 90, ink: OCRLine.Ink = .any) -> OCRLine {
        OCRLine(text: text, confidence: confidence, left: left, top: top, right: left + width, bottom: top + 50, ink: ink)
    }

    @Test func congVanHeaderGivesSenderNotationDateAndSummary() {
        let fields = HeaderParser.parse([
            line("UBND TỈNH HƯNG YÊN", 150, 100),
            line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1250, 100, width: 1100),
            line("SỞ TÀI CHÍNH", 250, 170),
            line("Độc lập - Tự do - Hạnh phúc", 1450, 170),
            line("Số: 1234/STC-NS", 230, 300),
            line("Hưng Yên, ngày 14 tháng 11 năm 2026", 1350, 300, width: 900),
            line("V/v dự toán ngân sách năm 2027", 200, 380),
        ], width: 2480)
        #expect(fields.sender?.value == "SỞ TÀI CHÍNH")
        #expect(fields.parentBody?.value == "UBND TỈNH HƯNG YÊN")
        #expect(fields.notation?.value == "1234/STC-NS")
        #expect(fields.documentDate?.value == "2026-11-14")
        #expect(fields.documentType?.value == "CÔNG VĂN")
        #expect(fields.summary?.value == "dự toán ngân sách năm 2027")
        #expect(fields.secrecyMark == nil && fields.urgencyMark == nil)
    }

    @Test func quyetDinhWithPartyNotationAndRedMarks() {
        let fields = HeaderParser.parse([
            line("TỈNH ỦY HƯNG YÊN", 150, 100),
            line("ĐẢNG CỘNG SẢN VIỆT NAM", 1400, 100),
            line("BAN TỔ CHỨC", 250, 170),
            line("Số 89-CV/BTCTU", 250, 300),
            line("Hưng Yên, ngày 2 tháng 3 năm 2026", 1350, 300, width: 900),
            line("MẬT", 300, 420, width: 200, ink: .red),
            line("HỎA TỐC", 300, 500, width: 300, confidence: 70, ink: .red),
            line("QUYẾT ĐỊNH", 1000, 650, width: 500),
            line("Về việc điều động cán bộ", 850, 720, width: 800),
        ], width: 2480)
        #expect(fields.notation?.value == "89-CV/BTCTU")
        #expect(fields.documentDate?.value == "2026-03-02")
        #expect(fields.sender?.value == "BAN TỔ CHỨC")
        #expect(fields.documentType?.value == "QUYẾT ĐỊNH")
        #expect(fields.summary?.value == "Về việc điều động cán bộ")
        #expect(fields.secrecyMark?.value == "mat")
        #expect(fields.urgencyMark == .init("hoa_toc", confidence: 70))
    }

    @Test func theHighestMarkWinsAndWordsInSentencesAreNotMarks() {
        let fields = HeaderParser.parse([
            line("MẬT", 300, 400, ink: .red), line("TỐI MẬT", 300, 460, ink: .red),
            line("KHẨN", 300, 520), line("THƯỢNG KHẨN", 300, 580),
            line("Về việc bảo vệ bí mật nhà nước khẩn trương", 800, 700, width: 900),
        ], width: 2480)
        #expect(fields.secrecyMark?.value == "toi_mat")
        #expect(fields.urgencyMark?.value == "thuong_khan")
    }

    @Test func unaccentedOCRofAStampStillReadsAsTheMark() {
        let fields = HeaderParser.parse([line("TUYET MAT", 300, 400, ink: .red), line("HOA TOC.", 300, 480, ink: .red)], width: 2480)
        #expect(fields.secrecyMark?.value == "tuyet_mat")
        #expect(fields.urgencyMark?.value == "hoa_toc")
    }

    @Test func noHeaderNoFields() {
        #expect(HeaderParser.parse([], width: 2480) == HeaderFields())
    }
}
