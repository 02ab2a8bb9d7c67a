internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// Streams a PDF 1.4 file page by page, embedding each page's compressed stream as is
/// (JPEG → DCTDecode, G4 → CCITTFaxDecode). Only object offsets stay in memory.
///
/// Layout: 1 Catalog, 2 Pages, 3 Info, then per page: image XObject, content stream, Page.
/// Catalog, Pages and Info are written at `finish()`, followed by the xref and trailer.
public final class PDFWriter {
    private let output: BufferedFileOutput
    private let metadata: PDFMetadata
    private let path: String
    private var offsets: [Int: Int] = [:]
    private var pageObjects: [Int] = []
    private var nextObject = 4
    private var finished = false

    /// The version in the header: Phụ lục I of Decree 30/2020 asks for PDF 1.4 or newer.
    public static let version = "1.4"

    private static let catalogObject = 1
    private static let pagesObject = 2
    private static let infoObject = 3

    public convenience init(path: String, metadata: PDFMetadata) throws {
        try self.init(output: try BufferedFileOutput(path: path), name: path, metadata: metadata)
    }

    /// A PDF whose bytes go to `sink` (e.g. one that encrypts them before they reach the disk);
    /// `name` stands for it in error messages. `finish()` closes the sink.
    public convenience init(sink: any ByteSink, name: String, metadata: PDFMetadata) throws {
        try self.init(output: BufferedFileOutput(sink: sink, name: name), name: name, metadata: metadata)
    }

    private init(output: BufferedFileOutput, name: String, metadata: PDFMetadata) throws {
        self.path = name
        self.metadata = metadata
        self.output = output
        // Header, then a comment with bytes > 127 so transfer tools treat the file as binary.
        try output.write(Array("%PDF-\(Self.version)\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    public var pageCount: Int { pageObjects.count }

    // MARK: - Pages

    public func add(_ page: EncodedPage) throws {
        guard !finished else { throw ImagingError.writerState("PDFWriter.add after finish: \(path)") }
        guard page.width > 0, page.height > 0, page.xResolution >= 1, page.yResolution >= 1, !page.data.isEmpty else {
            throw ImagingError.invalidRaster("encoded page \(page.width)×\(page.height) at \(page.xResolution)×\(page.yResolution) dpi, \(page.data.count) bytes")
        }
        let image = nextObject
        let content = nextObject + 1
        let pageObject = nextObject + 2
        nextObject += 3

        // Image XObject
        var dict = "<< /Type /XObject /Subtype /Image /Width \(page.width) /Height \(page.height)"
        switch page.compression {
        case .ccittG4:
            // libtiff's MinIsWhite G4 codes ink as black runs; with BlackIs1 false (the default,
            // written out for clarity) the decoder emits 0 for black, and DeviceGray 0 is black.
            dict += " /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode"
            dict += " /DecodeParms << /K -1 /Columns \(page.width) /Rows \(page.height) /BlackIs1 false >>"
        case .jpeg:
            let space = page.colorSpace == .rgb ? "/DeviceRGB" : "/DeviceGray"
            dict += " /ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode"
        }
        dict += " /Length \(page.data.count) >>"
        try beginObject(image)
        try output.write(dict + "\nstream\n")
        try output.write(page.data)
        try output.write("\nendstream\nendobj\n")

        // Content stream: scale the unit square image to the full page.
        let w = PDFSyntax.number(page.widthInPoints)
        let h = PDFSyntax.number(page.heightInPoints)
        let ops = "q \(w) 0 0 \(h) 0 0 cm /Im0 Do Q\n"
        try beginObject(content)
        try output.write("<< /Length \(ops.utf8.count) >>\nstream\n\(ops)endstream\nendobj\n")

        try beginObject(pageObject)
        try output.write("<< /Type /Page /Parent \(Self.pagesObject) 0 R /MediaBox [0 0 \(w) \(h)]"
            + " /Resources << /XObject << /Im0 \(image) 0 R >> >> /Contents \(content) 0 R >>\nendobj\n")
        pageObjects.append(pageObject)
    }

    // MARK: - Finish

    /// Writes Pages, Catalog, Info, xref and trailer, then closes the file (flushed, not fsynced).
    public func finish() throws {
        guard !finished else { throw ImagingError.writerState("PDFWriter.finish called twice: \(path)") }
        guard !pageObjects.isEmpty else { throw ImagingError.writerState("PDF without pages: \(path)") }
        finished = true

        try beginObject(Self.pagesObject)
        let kids = pageObjects.map { "\($0) 0 R" }.joined(separator: " ")
        try output.write("<< /Type /Pages /Kids [\(kids)] /Count \(pageObjects.count) >>\nendobj\n")

        try beginObject(Self.catalogObject)
        try output.write("<< /Type /Catalog /Pages \(Self.pagesObject) 0 R >>\nendobj\n")

        try beginObject(Self.infoObject)
        try output.write(infoDictionary() + "\nendobj\n")

        let xref = output.offset
        var table = "xref\n0 \(nextObject)\n0000000000 65535 f \n"
        for object in 1..<nextObject {
            table += String(printf: "%010d 00000 n \n", offsets[object] ?? 0)
        }
        let id = Self.fileIdentifier()
        table += "trailer\n<< /Size \(nextObject) /Root \(Self.catalogObject) 0 R /Info \(Self.infoObject) 0 R"
        table += " /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n"
        try output.write(table)
        try output.close()
    }

    // MARK: - Private

    private func beginObject(_ number: Int) throws {
        offsets[number] = output.offset
        try output.write("\(number) 0 obj\n")
    }

    private func infoDictionary() -> String {
        var entries = ["/Title " + PDFSyntax.textString(metadata.title)]
        if let author = metadata.author { entries.append("/Author " + PDFSyntax.textString(author)) }
        if let subject = metadata.subject { entries.append("/Subject " + PDFSyntax.textString(subject)) }
        if let keywords = metadata.keywords { entries.append("/Keywords " + PDFSyntax.textString(keywords)) }
        if let creator = metadata.creator { entries.append("/Creator " + PDFSyntax.textString(creator)) }
        entries.append("/Producer " + PDFSyntax.textString(metadata.producer))
        let date = PDFSyntax.date(metadata.creationDate, timeZone: metadata.timeZone)
        entries.append("/CreationDate (\(date))")
        entries.append("/ModDate (\(date))")
        return "<< " + entries.joined(separator: " ") + " >>"
    }

    /// 16 random bytes as hex: unique per file, as /ID requires.
    package static func fileIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(printf: "%02X", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
