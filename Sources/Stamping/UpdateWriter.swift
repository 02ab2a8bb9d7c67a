internal import Foundation
internal import Imaging

/// The bytes of one incremental update appended to one of our own PDFs: its objects with their
/// offsets, the embedded font subset, and the closing xref and trailer. The ĐẾN stamp and the
/// OCR text layer both write through it.
struct UpdateWriter {
    let file: OwnPDF
    private(set) var bytes: [UInt8] = []
    private var offsets: [(Int, Int)] = []

    init(file: OwnPDF) { self.file = file }

    mutating func begin(_ number: Int) {
        offsets.append((number, file.size + bytes.count))
        bytes += Array("\(number) 0 obj\n".utf8)
    }

    mutating func write(_ text: String) { bytes += Array(text.utf8) }

    mutating func stream(_ number: Int, dictionary: String, _ data: [UInt8]) {
        begin(number)
        write("<< \(dictionary)/Length \(data.count) >>\nstream\n")
        bytes += data
        write("\nendstream\nendobj\n")
    }

    /// The font as a Type0 object at `type0` and, at the next four numbers, its CIDFontType2,
    /// descriptor, font file and ToUnicode map (Identity-H, so text extraction gives the words back).
    mutating func font(_ font: FontSubset, at type0: Int) {
        let (cidFont, descriptor, fontFile, toUnicode) = (type0 + 1, type0 + 2, type0 + 3, type0 + 4)
        let subsetName = Update.subsetTag(font) + "+" + font.postScriptName
        begin(type0)
        write("<< /Type /Font /Subtype /Type0 /BaseFont /\(subsetName) /Encoding /Identity-H"
            + " /DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>\nendobj\n")
        let widths = font.advances.sorted { $0.key < $1.key }.map { "\($0.key) [\($0.value)]" }.joined(separator: " ")
        begin(cidFont)
        write("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(subsetName)"
            + " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            + " /FontDescriptor \(descriptor) 0 R /CIDToGIDMap /Identity /DW 1000 /W [\(widths)] >>\nendobj\n")
        let box = font.boundingBox
        begin(descriptor)
        write("<< /Type /FontDescriptor /FontName /\(subsetName) /Flags 32 /FontBBox [\(box.0) \(box.1) \(box.2) \(box.3)]"
            + " /ItalicAngle 0 /Ascent \(font.ascent) /Descent \(font.descent) /CapHeight \(font.ascent) /StemV 80"
            + " /FontFile2 \(fontFile) 0 R >>\nendobj\n")
        stream(fontFile, dictionary: "/Length1 \(font.data.count) ", font.data)
        stream(toUnicode, dictionary: "", Array(Update.toUnicodeCMap(font).utf8))
    }

    /// The update's xref (one subsection per run of consecutive object numbers) and trailer;
    /// `size` is one past the highest object number.
    mutating func finish(size: Int) {
        let xref = file.size + bytes.count
        var table = "xref\n"
        var entries = offsets.sorted { $0.0 < $1.0 }
        while !entries.isEmpty {
            var run = [entries.removeFirst()]
            while let next = entries.first, next.0 == (run.last?.0 ?? 0) + 1 { run.append(entries.removeFirst()) }
            table += "\(run[0].0) \(run.count)\n"
            for entry in run { table += String(format: "%010d 00000 n \n", entry.1) }
        }
        var trailer = "<< /Size \(size) /Root \(file.root) 0 R"
        if let info = file.info { trailer += " /Info \(info) 0 R" }
        if !file.firstID.isEmpty { trailer += " /ID [<\(file.firstID)> <\(PDFWriter.fileIdentifier())>]" }
        trailer += " /Prev \(file.xrefOffset) >>"
        write(table + "trailer\n" + trailer + "\nstartxref\n\(xref)\n%%EOF\n")
    }
}
