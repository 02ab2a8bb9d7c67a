internal import FoundationEssentials
internal import Glibc
internal import IntakeCore

/// Streams a PDF 1.4 file page by page, embedding each page's compressed stream as is
/// (JPEG → DCTDecode, G4 → CCITTFaxDecode). Only object offsets stay in memory.
///
/// Layout: 1 Catalog, 2 Pages, 3 Info, then per page: image XObject, its length, content stream,
/// Page. The image's /Length is an indirect object written after the stream, so its bytes can go
/// out as the encoder makes them (`beginImage`, `writeImage`, `endImage`).
/// Catalog, Pages and Info are written at `finish()`, followed by the xref and trailer.
public final class PDFWriter {
    private let output: BufferedFileOutput
    private let metadata: PDFMetadata
    private let path: String
    private var offsets: [Int: Int] = [:]
    private var pageObjects: [Int] = []
    private var nextObject = 4
    private var finished = false
    /// The page whose image stream is being written: its image, first object and stream start.
    private var open: (image: PageImage, object: Int, start: Int)?

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

    /// Adds a page whose compressed stream is whole.
    public func add(_ page: EncodedPage) throws {
        guard !page.data.isEmpty else {
            throw ImagingError.invalidRaster("encoded page \(page.width)×\(page.height), no bytes")
        }
        try beginImage(page.image)
        try page.data.withUnsafeBytes { try writeImage($0) }
        try endImage()
    }

    /// Starts a page: its image XObject's dictionary, then the stream's bytes through
    /// `writeImage` as they come; `endImage` ends the stream and writes the page.
    public func beginImage(_ image: PageImage) throws {
        guard !finished else { throw ImagingError.writerState("PDFWriter.add after finish: \(path)") }
        guard open == nil else { throw ImagingError.writerState("PDFWriter.beginImage inside a page: \(path)") }
        guard image.width > 0, image.height > 0, image.xResolution >= 1, image.yResolution >= 1 else {
            throw ImagingError.invalidRaster("encoded page \(image.width)×\(image.height) at \(image.xResolution)×\(image.yResolution) dpi")
        }
        let object = nextObject
        nextObject += 4

        var dict = "<< /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height)"
        switch image.compression {
        case .ccittG4:
            // libtiff's MinIsWhite G4 codes ink as black runs; with BlackIs1 false (the default,
            // written out for clarity) the decoder emits 0 for black, and DeviceGray 0 is black.
            dict += " /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode"
            dict += " /DecodeParms << /K -1 /Columns \(image.width) /Rows \(image.height) /BlackIs1 false >>"
        case .jpeg:
            let space = image.colorSpace == .rgb ? "/DeviceRGB" : "/DeviceGray"
            dict += " /ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode"
        }
        dict += " /Length \(object + 1) 0 R >>"
        try beginObject(object)
        try output.write(dict + "\nstream\n")
        open = (image, object, output.offset)
    }

    /// The next bytes of the open page's image stream.
    public func writeImage(_ bytes: UnsafeRawBufferPointer) throws {
        guard open != nil else { throw ImagingError.writerState("PDFWriter.writeImage outside a page: \(path)") }
        try output.write(bytes)
    }

    /// Ends the open page's image stream and writes its length, content stream and Page object.
    public func endImage() throws {
        guard let (image, object, start) = open else { throw ImagingError.writerState("PDFWriter.endImage outside a page: \(path)") }
        let length = output.offset - start
        guard length > 0 else { throw ImagingError.invalidRaster("encoded page \(image.width)×\(image.height), no bytes") }
        open = nil
        try output.write("\nendstream\nendobj\n")
        try beginObject(object + 1)
        try output.write("\(length)\nendobj\n")

        // Content stream: scale the unit square image to the full page.
        let content = object + 2, pageObject = object + 3
        let w = PDFSyntax.number(image.widthInPoints)
        let h = PDFSyntax.number(image.heightInPoints)
        let ops = "q \(w) 0 0 \(h) 0 0 cm /Im0 Do Q\n"
        try beginObject(content)
        try output.write("<< /Length \(ops.utf8.count) >>\nstream\n\(ops)endstream\nendobj\n")

        try beginObject(pageObject)
        try output.write("<< /Type /Page /Parent \(Self.pagesObject) 0 R /MediaBox [0 0 \(w) \(h)]"
            + " /Resources << /XObject << /Im0 \(object) 0 R >> >> /Contents \(content) 0 R >>\nendobj\n")
        pageObjects.append(pageObject)
    }

    // MARK: - Finish

    /// Writes Pages, Catalog, Info, xref and trailer, then closes the file (flushed, not fsynced).
    public func finish() throws {
        guard !finished else { throw ImagingError.writerState("PDFWriter.finish called twice: \(path)") }
        guard !pageObjects.isEmpty else { throw ImagingError.writerState("PDF without pages: \(path)") }
        guard open == nil else { throw ImagingError.writerState("PDFWriter.finish inside a page: \(path)") }
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
