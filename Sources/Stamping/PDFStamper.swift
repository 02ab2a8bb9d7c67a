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
        try append(to: path, file: try OwnPDF(path: path, restamp: true, updated: true), stamp: stamp)
    }

    /// Cuts the font subset `stamp` needs ahead of time (while the pages are scanned): stamps that
    /// differ from it only in number, date and time then take it ready.
    public static func prepare(_ stamp: ArrivalStamp) throws {
        _ = try font(for: stamp)
    }

    static func font(for stamp: ArrivalStamp) throws -> FontSubset {
        try FontSubsetCache.subset(fontPath: stamp.fontPath, characters: stamp.characters().union(ArrivalStamp.variableCharacters))
    }

    private static func append(to path: String, file: OwnPDF, stamp: ArrivalStamp) throws -> Result {
        let font = try font(for: stamp)
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

// MARK: - Writing the update

struct Update {
    var bytes: [UInt8] = []

    init(file: OwnPDF, font: FontSubset, stamp: ArrivalStamp) throws {
        let contentObject = file.objectCount
        // The stamp's stream, then the font's five objects (UpdateWriter.font).
        let type0 = contentObject + 1
        let size = contentObject + 6
        let fontName = "FStamp\(file.objectCount)"
        var writer = UpdateWriter(file: file)

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
        writer.write("\n")
        writer.stream(contentObject, dictionary: "", Array(ops.utf8))

        writer.font(font, at: type0)

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
        // A text layer (`PDFTextLayer`) added since stays: its streams and font are kept.
        let fonts = ([" /\(fontName) \(type0) 0 R"] + file.textLayerFonts.map { " " + $0 }).joined()
        let layers = file.textLayerContents.map { " \($0) 0 R" }.joined()
        page.replaceSubrange(resources, with: "/Resources << /Font <<\(fonts) >>")
        page = page.replacingOccurrences(of: reference, with: "/Contents [\(original) 0 R \(contentObject) 0 R\(layers)]")
        writer.begin(file.pageObject)
        writer.write(page + "\nendobj\n")

        writer.finish(size: size)
        bytes = writer.bytes
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
