internal import Foundation
internal import Imaging

/// Puts the ĐẾN stamp on page 1 of a PDF that `PDFWriter` wrote, as an incremental update
/// appended to the file: the original bytes (and so every image stream) stay exactly as they
/// were; the update adds the stamp's content stream, the embedded font subset and a new page 1
/// that draws the scan and then the stamp. Text is a CIDFontType2 (Identity-H) with a ToUnicode
/// map, so `pdftotext` reads "Số: 12" back.
///
/// The caller makes it durable (fsync) and, if anything fails, truncates the file back to
/// `originalSize` to get the unstamped PDF again.
public enum PDFStamper {
    public struct Result: Sendable {
        /// Size of the file before the update: truncating to it restores the unstamped PDF.
        public var originalSize: Int
        public var stampedSize: Int
    }

    @discardableResult
    public static func stamp(pdfAt path: String, with stamp: ArrivalStamp) throws -> Result {
        try append(to: path, file: try OwnPDF(path: path), stamp: stamp)
    }

    /// Replaces the stamp of a PDF stamped once (a provisional number "T-3" becoming final) by
    /// a second incremental update: page 1 again, drawing the scan's own content and the new
    /// stamp; every earlier byte, the first stamp's objects included, stays in the file.
    @discardableResult
    public static func restamp(pdfAt path: String, with stamp: ArrivalStamp) throws -> Result {
        try append(to: path, file: try OwnPDF(path: path, restamp: true), stamp: stamp)
    }

    private static func append(to path: String, file: OwnPDF, stamp: ArrivalStamp) throws -> Result {
        let font = try FontSubset(fontPath: stamp.fontPath, characters: stamp.characters())
        let update = try Update(file: file, font: font, stamp: stamp)
        let bytes = update.bytes
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ImagingError.io(errno: errno, operation: "open for stamp", path: path)
        }
        defer { try? handle.close() }
        do {
            let end = try handle.seekToEnd()
            guard end == UInt64(file.size) else {
                throw ImagingError.unstampable("\(path) changed while stamping (\(end) ≠ \(file.size) bytes)")
            }
            try handle.write(contentsOf: bytes)
        } catch let error as ImagingError {
            throw error
        } catch {
            throw ImagingError(code: .writeFailed, message: "The document file could not be written.",
                               detail: "append stamp to \(path): \(error)")
        }
        return Result(originalSize: file.size, stampedSize: file.size + bytes.count)
    }
}

// MARK: - Reading our own PDF

/// The few facts of a `PDFWriter` file an incremental update needs: its one xref table, the
/// trailer's Root/Info/ID/Size, and page 1's object. Anything else is refused, not guessed.
private struct OwnPDF {
    let size: Int
    let xrefOffset: Int
    let objectCount: Int
    let root: Int
    let info: Int?
    let firstID: String
    let pageObject: Int
    let pageDictionary: String
    let mediaBox: (Double, Double, Double, Double)

    init(path: String, restamp: Bool = false) throws {
        self = try Self.read(path: path, restamp: restamp)
    }

    private init(size: Int, xrefOffset: Int, objectCount: Int, root: Int, info: Int?, firstID: String, pageObject: Int,
                 pageDictionary: String, mediaBox: (Double, Double, Double, Double)) {
        self.size = size
        self.xrefOffset = xrefOffset
        self.objectCount = objectCount
        self.root = root
        self.info = info
        self.firstID = firstID
        self.pageObject = pageObject
        self.pageDictionary = pageDictionary
        self.mediaBox = mediaBox
    }

    private static func read(path: String, restamp: Bool) throws -> OwnPDF {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImagingError.io(errno: errno, operation: "open", path: path)
        }
        defer { try? handle.close() }
        func read(at offset: Int, count: Int) throws -> String {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        func fail(_ why: String) -> ImagingError { ImagingError.unstampable("\(path): \(why)") }

        do {
            let size = Int(try handle.seekToEnd())
            guard size > 64 else { throw fail("too short for a PDF (\(size) bytes)") }
            guard try read(at: 0, count: 8).hasPrefix("%PDF-1.") else { throw fail("no %PDF-1.x header") }
            let tail = try read(at: max(0, size - 64), count: 64)
            guard let start = tail.range(of: "startxref", options: .backwards),
                  let latest = Int(tail[start.upperBound...].split(whereSeparator: \.isNewline).first ?? ""),
                  latest > 0, latest < size
            else { throw fail("no startxref at the end") }
            var offset = latest
            var latestSize: Int?
            if restamp {
                // Our one stamp's update: its trailer names the original table with /Prev.
                let update = try read(at: latest, count: size - latest)
                guard update.hasPrefix("xref\n"), let t = update.range(of: "trailer"),
                      let prev = Self.integer(after: "/Prev", in: String(update[t.upperBound...])), prev > 0, prev < latest,
                      let declared = Self.integer(after: "/Size", in: String(update[t.upperBound...]))
                else { throw fail("not stamped once by this program (no update with /Prev to restamp)") }
                offset = prev
                latestSize = declared
            }

            let section = try read(at: offset, count: (restamp ? latest : size) - offset)
            guard section.hasPrefix("xref\n"), let trailerStart = section.range(of: "trailer") else {
                throw fail("not a classic xref table at \(offset) (written by another program?)")
            }
            let table = section[..<trailerStart.lowerBound].split(separator: "\n").map(String.init)
            guard table.count >= 3 else { throw fail("empty xref table") }
            let header = table[1].split(separator: " ")
            guard header.count == 2, header[0] == "0", let count = Int(header[1]), table.count == count + 2 else {
                throw fail("xref table is not one section starting at 0")
            }
            let offsets = table.dropFirst(2).map { Int($0.prefix(10)) ?? -1 }
            var trailer = String(section[trailerStart.upperBound...])
            if let end = trailer.range(of: "startxref") { trailer = String(trailer[..<end.lowerBound]) }
            guard !trailer.contains("/Prev") else {
                throw fail("already has an incremental update (stamped before?)")
            }
            guard let declared = Self.integer(after: "/Size", in: trailer), declared == count,
                  let root = Self.reference(after: "/Root", in: trailer), root < count
            else { throw fail("trailer without /Size or /Root") }
            let info = Self.reference(after: "/Info", in: trailer)
            let firstID = Self.firstID(in: trailer) ?? ""

            func object(_ number: Int) throws -> String {
                guard number > 0, number < offsets.count, offsets[number] > 0, offsets[number] < size else {
                    throw fail("object \(number) is not in the xref table")
                }
                let text = try read(at: offsets[number], count: min(8192, size - offsets[number]))
                guard text.hasPrefix("\(number) 0 obj"), let end = text.range(of: "endobj") else {
                    throw fail("object \(number) is not where the xref table says")
                }
                return String(text[text.index(text.startIndex, offsetBy: "\(number) 0 obj".count)..<end.lowerBound])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let pages = Self.reference(after: "/Pages", in: try object(root)) else { throw fail("catalog without /Pages") }
            let tree = try object(pages)
            guard let kids = tree.range(of: "/Kids ["), let first = Self.reference(after: "/Kids [", in: String(tree[kids.lowerBound...])) else {
                throw fail("page tree without kids")
            }
            let page = try object(first)
            guard page.hasPrefix("<<"), page.hasSuffix(">>"), page.contains("/Type /Page"),
                  Self.reference(after: "/Contents", in: page) != nil, page.contains("/Resources <<")
            else { throw fail("page 1 is not a page this program wrote") }
            guard let box = page.range(of: "/MediaBox ["), let close = page[box.upperBound...].firstIndex(of: "]") else {
                throw fail("page 1 without /MediaBox")
            }
            let numbers = page[box.upperBound..<close].split(separator: " ").compactMap { Double($0) }
            guard numbers.count == 4, numbers[2] > numbers[0], numbers[3] > numbers[1] else { throw fail("bad /MediaBox") }
            if let latestSize {
                // The original page 1 is redrawn with the new stamp; new objects follow the update's.
                return OwnPDF(size: size, xrefOffset: latest, objectCount: latestSize, root: root, info: info, firstID: firstID,
                              pageObject: first, pageDictionary: page, mediaBox: (numbers[0], numbers[1], numbers[2], numbers[3]))
            }
            return OwnPDF(size: size, xrefOffset: offset, objectCount: count, root: root, info: info, firstID: firstID,
                          pageObject: first, pageDictionary: page, mediaBox: (numbers[0], numbers[1], numbers[2], numbers[3]))
        } catch let error as ImagingError {
            throw error
        } catch {
            throw ImagingError.unstampable("\(path): \(error)")
        }
    }

    static func integer(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key + " ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// `N 0 R` after `key`.
    static func reference(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        let parts = rest.split(separator: " ", maxSplits: 3)
        guard parts.count >= 3, parts[1] == "0", parts[2].hasPrefix("R"), let number = Int(parts[0]) else { return nil }
        return number
    }

    static func firstID(in trailer: String) -> String? {
        guard let range = trailer.range(of: "/ID [<"), let end = trailer[range.upperBound...].firstIndex(of: ">") else { return nil }
        return String(trailer[range.upperBound..<end])
    }
}

// MARK: - Writing the update

private struct Update {
    var bytes: [UInt8] = []

    init(file: OwnPDF, font: FontSubset, stamp: ArrivalStamp) throws {
        let contentObject = file.objectCount
        let type0 = contentObject + 1
        let cidFont = contentObject + 2
        let descriptor = contentObject + 3
        let fontFile = contentObject + 4
        let toUnicode = contentObject + 5
        let size = contentObject + 6
        let fontName = "FStamp\(file.objectCount)"
        var offsets: [(Int, Int)] = []

        func begin(_ number: Int) {
            offsets.append((number, file.size + bytes.count))
            bytes += Array("\(number) 0 obj\n".utf8)
        }
        func write(_ text: String) { bytes += Array(text.utf8) }
        func stream(_ number: Int, dictionary: String, _ data: [UInt8]) {
            begin(number)
            write("<< \(dictionary)/Length \(data.count) >>\nstream\n")
            bytes += data
            write("\nendstream\nendobj\n")
        }

        // The stamp: text and frame drawn over the scanned image, in the stamp's red ink.
        let measure: (String, Double) -> Double = { text, size in
            text.unicodeScalars.reduce(0.0) { total, scalar in
                let glyph = font.glyphs[scalar] ?? 0
                return total + Double(font.advances[glyph] ?? 600) / 1000 * size
            }
        }
        let layout = stamp.layout(width: measure)
        let pageWidth = file.mediaBox.2 - file.mediaBox.0
        let pageHeight = file.mediaBox.3 - file.mediaBox.1
        let frame = stamp.placement.frame(pageWidth: pageWidth, pageHeight: pageHeight)
        let n = PDFSyntax.number
        var ops = "q \(n(frame.scale)) 0 0 \(n(frame.scale)) \(n(file.mediaBox.0 + frame.x)) \(n(file.mediaBox.1 + frame.y)) cm\n"
        ops += "0.75 0.05 0.05 RG 0.75 0.05 0.05 rg 0.9 w\n"
        ops += "0.45 0.45 \(n(ArrivalStamp.width - 0.9)) \(n(ArrivalStamp.height - 0.9)) re S\n"
        for line in layout.lines {
            let glyphs = line.text.unicodeScalars.map { font.glyphs[$0] ?? 0 }
            let hex = glyphs.map { String(format: "%04X", $0) }.joined()
            ops += "BT /\(fontName) \(n(line.size)) Tf \(n(line.x)) \(n(line.baseline)) Td <\(hex)> Tj ET\n"
        }
        if !layout.leaders.isEmpty {
            ops += "[0.6 1.6] 0 d 0.5 w\n"
            for leader in layout.leaders {
                ops += "\(n(leader.x1)) \(n(leader.y)) m \(n(leader.x2)) \(n(leader.y)) l S\n"
            }
        }
        ops += "Q\n"

        // Start on a fresh line after the original %%EOF.
        write("\n")
        stream(contentObject, dictionary: "", Array(ops.utf8))

        let subsetName = Self.subsetTag(font) + "+" + font.postScriptName
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
        stream(toUnicode, dictionary: "", Array(Self.toUnicodeCMap(font).utf8))

        // Page 1 again: the scan's own content first, then the stamp; the font added to its resources.
        var page = file.pageDictionary
        guard let contents = page.range(of: "/Contents "),
              let original = OwnPDF.reference(after: "/Contents", in: page),
              let resources = page.range(of: "/Resources <<")
        else { throw ImagingError.unstampable("page 1 dictionary changed shape") }
        let reference = "/Contents \(original) 0 R"
        guard page[contents.lowerBound...].hasPrefix(reference) else {
            throw ImagingError.unstampable("page 1 /Contents is not a single reference")
        }
        page.replaceSubrange(resources, with: "/Resources << /Font << /\(fontName) \(type0) 0 R >>")
        page = page.replacingOccurrences(of: reference, with: "/Contents [\(original) 0 R \(contentObject) 0 R]")
        begin(file.pageObject)
        write(page + "\nendobj\n")

        // The update's xref: one subsection per run of consecutive object numbers.
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

    /// Six capital letters naming this subset (PDF 32000 §9.6.4), from the glyphs it holds.
    static func subsetTag(_ font: FontSubset) -> String {
        var hash: UInt32 = 2166136261
        for glyph in font.glyphs.values.sorted() {
            hash = (hash ^ UInt32(glyph)) &* 16777619
        }
        var tag = ""
        for _ in 0..<6 {
            tag.append(Character(Unicode.Scalar(UInt8(65 + hash % 26))))
            hash /= 26
        }
        return tag
    }

    /// Glyph id → Unicode, so text extraction and search give the stamp's words back.
    static func toUnicodeCMap(_ font: FontSubset) -> String {
        var mappings: [(UInt16, Unicode.Scalar)] = []
        var seen = Set<UInt16>()
        for (scalar, glyph) in font.glyphs.sorted(by: { $0.value < $1.value }) where seen.insert(glyph).inserted {
            mappings.append((glyph, scalar))
        }
        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        var start = 0
        while start < mappings.count {
            let chunk = mappings[start..<min(start + 100, mappings.count)]
            cmap += "\(chunk.count) beginbfchar\n"
            for (glyph, scalar) in chunk {
                let utf16 = String(scalar).utf16.map { String(format: "%04X", $0) }.joined()
                cmap += String(format: "<%04X> <", glyph) + utf16 + ">\n"
            }
            cmap += "endbfchar\n"
            start += 100
        }
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return cmap
    }
}
