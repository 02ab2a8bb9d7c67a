import Foundation

/// Reads the fields of a document header from the lines OCR found in the top band of page 1.
///
/// The layout is fixed by Decree 30/2020 (Phụ lục I): the issuing body top left (its parent body
/// above it), "Số: …" below it; the motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / for Party
/// documents "ĐẢNG CỘNG SẢN VIỆT NAM") and "place, ngày … tháng … năm …" top right; then the type
/// and summary; urgency and secrecy stamped as marks, often in red.
public enum HeaderParser {
    public static func parse(_ lines: [OCRLine], width: Int) -> HeaderFields {
        var fields = HeaderFields()
        let cleaned = lines.map { line -> OCRLine in
            var line = line
            line.text = normalise(line.text)
            return line
        }.filter { !$0.text.isEmpty }
        let ordered = cleaned.sorted { ($0.top, $0.left) < ($1.top, $1.left) }

        // Marks: a line that is (almost) only the mark; the highest grade found wins.
        for line in ordered {
            let key = fold(line.text)
            if let mark = secrecyMarks.first(where: { isMark(key, $0.key) }) {
                if fields.secrecyMark.map({ rank(secrecy: $0.value) < rank(secrecy: mark.word) }) ?? true {
                    fields.secrecyMark = .init(mark.word, confidence: line.confidence)
                }
            }
            if let mark = urgencyMarks.first(where: { isMark(key, $0.key) }) {
                if fields.urgencyMark.map({ rank(urgency: $0.value) < rank(urgency: mark.word) }) ?? true {
                    fields.urgencyMark = .init(mark.word, confidence: line.confidence)
                }
            }
        }

        let text = ordered.filter { $0.ink == .any }
        // Số và ký hiệu.
        var numberLine: OCRLine?
        for line in text {
            if let match = line.text.firstMatch(of: notationPattern) {
                fields.notation = .init(String(match.1).trimmingCharacters(in: CharacterSet(charactersIn: ".,;")), confidence: line.confidence)
                numberLine = line
                break
            }
        }
        // Ngày … tháng … năm …
        for line in text {
            if let match = fold(line.text).firstMatch(of: datePattern),
               let day = Int(match.1), let month = Int(match.2), let year = Int(match.3),
               (1...31).contains(day), (1...12).contains(month), (1900...2200).contains(year) {
                fields.documentDate = .init(String(format: "%04d-%02d-%02d", year, month, day), confidence: line.confidence)
                break
            }
        }
        // Issuing body: left-column lines above "Số", without the motto.
        if let numberLine {
            let left = text.filter { $0.bottom <= numberLine.top + 4 && $0.centreX < width / 2 && !isMotto($0.text) && !isAnyMark($0.text) }
            if let body = left.last {
                fields.sender = .init(body.text, confidence: body.confidence)
                if left.count >= 2 {
                    let parent = left[left.count - 2]
                    fields.parentBody = .init(parent.text, confidence: parent.confidence)
                }
            }
        }
        // Type and summary below the number/date lines.
        let below = text.filter { line in numberLine.map { line.top > $0.bottom } ?? true }
        for (index, line) in below.enumerated() {
            let key = fold(line.text)
            // "V/v …" (về việc) opens a công văn's summary; OCR often drops or doubles the v.
            if let match = line.text.firstMatch(of: summaryPattern) {
                fields.documentType = fields.documentType ?? .init("CÔNG VĂN", confidence: line.confidence)
                fields.summary = .init(String(line.text[match.range.upperBound...]), confidence: line.confidence)
                break
            }
            if let type = documentTypes.first(where: { key == fold($0) }) {
                fields.documentType = .init(type, confidence: line.confidence)
                if index + 1 < below.count {
                    var summary = [below[index + 1]]
                    // A summary may wrap onto a second centred line.
                    if index + 2 < below.count, abs(below[index + 2].centreX - below[index + 1].centreX) < width / 10,
                       !isMotto(below[index + 2].text) { summary.append(below[index + 2]) }
                    fields.summary = .init(summary.map(\.text).joined(separator: " "),
                                           confidence: summary.map(\.confidence).reduce(0, +) / Double(summary.count))
                }
                break
            }
        }
        return fields
    }

    // MARK: - vocabulary

    static let documentTypes = ["QUYẾT ĐỊNH", "CHỈ THỊ", "THÔNG BÁO", "KẾ HOẠCH", "BÁO CÁO", "TỜ TRÌNH", "NGHỊ QUYẾT",
                                "HƯỚNG DẪN", "CÔNG VĂN", "GIẤY MỜI", "QUY ĐỊNH", "CHƯƠNG TRÌNH", "BIÊN BẢN", "THÔNG TƯ",
                                "NGHỊ ĐỊNH", "KẾT LUẬN", "CÔNG ĐIỆN", "PHƯƠNG ÁN", "ĐỀ ÁN"]
    /// Marks as OCR folds them (no diacritics, upper case) → the configuration's word. Longest first.
    static let secrecyMarks: [(key: String, word: String)] = [("TUYET MAT", "tuyet_mat"), ("TOI MAT", "toi_mat"), ("MAT", "mat")]
    static let urgencyMarks: [(key: String, word: String)] = [("HOA TOC", "hoa_toc"), ("THUONG KHAN", "thuong_khan"), ("KHAN", "khan")]

    static func rank(secrecy word: String) -> Int { ["mat": 1, "toi_mat": 2, "tuyet_mat": 3][word] ?? 0 }
    static func rank(urgency word: String) -> Int { ["khan": 1, "thuong_khan": 2, "hoa_toc": 3][word] ?? 0 }

    nonisolated(unsafe) static let notationPattern = #/(?i)\bS[ốô6o]\s*[:.]?\s*([0-9]{1,6}\s*[-/][\p{L}0-9\-/.&]+)/#
    nonisolated(unsafe) static let summaryPattern = #/^[Vv]\s*/\s*[vV]?\s*[:.]?\s+/#
    nonisolated(unsafe) static let datePattern = #/NGAY\s+(\d{1,2})\s+THANG\s+(\d{1,2})\s+NAM\s+(\d{4})/#

    /// A line that is the mark itself (allowing OCR noise around it), not a sentence using the word.
    static func isMark(_ folded: String, _ mark: String) -> Bool {
        let letters = folded.filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: " ")
        return letters == mark || (letters.hasPrefix(mark + " ") && letters.count <= mark.count + 3)
    }

    static func isAnyMark(_ text: String) -> Bool {
        let key = fold(text)
        return (secrecyMarks + urgencyMarks).contains { isMark(key, $0.key) }
    }

    static func isMotto(_ text: String) -> Bool {
        let key = fold(text)
        return key.contains("CONG HOA") || key.contains("DOC LAP") || key.contains("TU DO") || key.contains("HANH PHUC")
            || key.contains("DANG CONG SAN VIET NAM") || key.allSatisfy { $0 == "-" || $0 == "_" || $0 == " " }
    }

    /// NFC, single spaces, no stray OCR punctuation at the ends.
    static func normalise(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .trimmingCharacters(in: CharacterSet(charactersIn: " |_~"))
    }

    /// Upper case without diacritics (Đ → D): what OCR of a stamp reliably gives.
    static func fold(_ text: String) -> String {
        text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "vi_VN")).uppercased()
    }
}
