internal import Foundation
internal import Imaging

/// One recognised word and its box in pixels of the page image (origin top left).
public struct TextLayerWord: Sendable, Equatable {
    public var text: String
    public var left: Int
    public var top: Int
    public var right: Int
    public var bottom: Int

    public init(text: String, left: Int, top: Int, right: Int, bottom: Int) {
        self.text = text
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}

/// Makes page 1 of a PDF this program wrote searchable: the recognised words as invisible text
/// (text render mode 3), each placed on its box and horizontally scaled (Tz) to its width, added
/// as an incremental update after the stamp. The earlier bytes — every image stream and the
/// stamp — stay as they were; the update adds one content stream (first line
/// `% intake text layer`, so a later restamp keeps it), a DejaVu subset font named `/FText…`
/// with a ToUnicode map, and page 1 again with both appended.
///
/// The caller makes it durable (fsync); truncating to `originalSize` removes the layer.
public enum PDFTextLayer {
    public struct Result: Sendable {
        public var originalSize: Int
        public var updatedSize: Int
        /// Words written (words with no letters the font has are left out).
        public var words: Int
    }

    /// `imageWidth` × `imageHeight`: the page image's pixels the words' boxes are given in; they
    /// are mapped onto page 1's MediaBox.
    @discardableResult
    public static func add(to path: String, words: [TextLayerWord], imageWidth: Int, imageHeight: Int,
                           fontPath: String = ArrivalStamp.defaultFontPath) throws -> Result {
        guard imageWidth > 0, imageHeight > 0 else {
            throw ImagingError.unstampable("\(path): text layer for a page image of \(imageWidth)×\(imageHeight) pixels")
        }
        let file: OwnPDF
        do {
            file = try OwnPDF(path: path, restamp: true, updated: true)
        } catch {
            file = try OwnPDF(path: path, updated: false)
        }
        var current = file
        if current.currentPageDictionary.isEmpty { try current.readUpdates(path: path) }
        guard current.textLayerFonts.isEmpty, current.textLayerContents.isEmpty else {
            throw ImagingError.unstampable("\(path): page 1 already has a text layer")
        }
        let placed = words.map { TextLayerWord(text: $0.text.precomposedStringWithCanonicalMapping
                                                   .trimmingCharacters(in: .whitespacesAndNewlines),
                                               left: $0.left, top: $0.top, right: $0.right, bottom: $0.bottom) }
            .filter { !$0.text.isEmpty && $0.right > $0.left && $0.bottom > $0.top }
        guard !placed.isEmpty else { throw ImagingError.unstampable("\(path): no words to lay over page 1") }
        let font = try FontSubset(fontPath: fontPath, characters: Set(placed.flatMap(\.text.unicodeScalars)))
        let (bytes, count) = try updateBytes(file: current, font: font, words: placed, width: imageWidth, height: imageHeight)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ImagingError.io(errno: errno, operation: "open for text layer", path: path)
        }
        defer { try? handle.close() }
        do {
            let end = try handle.seekToEnd()
            guard end == UInt64(current.size) else {
                throw ImagingError.unstampable("\(path) changed while adding the text layer (\(end) ≠ \(current.size) bytes)")
            }
            try handle.write(contentsOf: bytes)
        } catch let error as ImagingError {
            throw error
        } catch {
            throw ImagingError(code: .writeFailed, message: "The document file could not be written.",
                               detail: "append text layer to \(path): \(error)")
        }
        return Result(originalSize: current.size, updatedSize: current.size + bytes.count, words: count)
    }

    /// The content stream: one BT 3 Tr … Tj per word, size from the box's height, Tz to its width.
    static func contentStream(words: [TextLayerWord], font: FontSubset, fontName: String,
                              mediaBox: (Double, Double, Double, Double), width: Int, height: Int) -> (String, Int) {
        let n = PDFSyntax.number
        let sx = (mediaBox.2 - mediaBox.0) / Double(width)
        let sy = (mediaBox.3 - mediaBox.1) / Double(height)
        let extent = Double(max(1, font.ascent - font.descent)) / 1000
        var ops = OwnPDF.textLayerMarker + "\nq BT 3 Tr\n"
        var count = 0
        for word in words {
            let glyphs = word.text.unicodeScalars.compactMap { font.glyphs[$0] }
            guard !glyphs.isEmpty else { continue }
            let boxWidth = Double(word.right - word.left) * sx
            let boxHeight = Double(word.bottom - word.top) * sy
            let size = max(1, boxHeight / extent)
            let natural = glyphs.reduce(0.0) { $0 + Double(font.advances[$1] ?? 600) / 1000 * size }
            let scale = natural > 0 ? 100 * boxWidth / natural : 100
            let x = mediaBox.0 + Double(word.left) * sx
            let baseline = mediaBox.3 - Double(word.bottom) * sy - Double(font.descent) / 1000 * size
            let hex = glyphs.map { String(format: "%04X", $0) }.joined()
            ops += "/\(fontName) \(n(size)) Tf \(n(scale)) Tz 1 0 0 1 \(n(x)) \(n(baseline)) Tm <\(hex)> Tj\n"
            count += 1
        }
        return (ops + "ET Q\n", count)
    }

    private static func updateBytes(file: OwnPDF, font: FontSubset, words: [TextLayerWord],
                                    width: Int, height: Int) throws -> ([UInt8], Int) {
        let contentObject = file.objectCount
        // The layer's stream, then the font's five objects (UpdateWriter.font).
        let type0 = contentObject + 1
        let fontName = "FText\(file.objectCount)"
        var writer = UpdateWriter(file: file)
        let (ops, count) = contentStream(words: words, font: font, fontName: fontName, mediaBox: file.mediaBox,
                                         width: width, height: height)
        guard count > 0 else { throw ImagingError.unstampable("no word has a letter the font \(font.postScriptName) has") }
        writer.write("\n")
        writer.stream(contentObject, dictionary: "", Array(ops.utf8))

        writer.font(font, at: type0)

        // Page 1 as it stands (scan, stamp), with the layer's stream and font appended.
        var page = file.currentPageDictionary
        let entry = "/\(fontName) \(type0) 0 R"
        if let fonts = page.range(of: "/Font << ") {
            page.replaceSubrange(fonts, with: "/Font << \(entry) ")
        } else if let resources = page.range(of: "/Resources <<") {
            page.replaceSubrange(resources, with: "/Resources << /Font << \(entry) >>")
        } else {
            throw ImagingError.unstampable("page 1 without /Resources")
        }
        guard let contents = page.range(of: "/Contents") else { throw ImagingError.unstampable("page 1 without /Contents") }
        let rest = page[contents.upperBound...].drop { $0 == " " }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            page.insert(contentsOf: " \(contentObject) 0 R", at: close)
        } else if let single = OwnPDF.reference(after: "/Contents", in: page) {
            page = page.replacingOccurrences(of: "/Contents \(single) 0 R", with: "/Contents [\(single) 0 R \(contentObject) 0 R]")
        } else {
            throw ImagingError.unstampable("page 1 /Contents is neither a reference nor an array")
        }
        writer.begin(file.pageObject)
        writer.write(page + "\nendobj\n")

        writer.finish(size: contentObject + 6)
        return (writer.bytes, count)
    }
}
