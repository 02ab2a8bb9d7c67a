import FoundationEssentials
internal import Glibc
public import IntakeCore
public import Imaging
public import Scanning

/// Progress of one scan, reported page by page (stderr in the CLI, the socket for the daemon).
public enum ScanProgress: Sendable {
    case page(number: Int, width: Int, height: Int, blank: Bool)
    case finished(pages: Int, blankRemoved: Int)
}

/// One scanned document in a file that is complete but not yet registered.
public struct BuiltDocument: Sendable {
    public var path: String
    public var pages: Int
    public var blankPagesRemoved: Int
    public var bytes: Int
    /// When the scanner delivered the last row of the last page (streamed PDF scans; nil otherwise).
    public var lastLineAt: ContinuousClock.Instant?
}

public enum OutputFormat: String, Sendable, CaseIterable { case pdf, tiff }

/// What a scan uses: the device settings and what to do with the pages.
public struct ScanRecipe: Sendable {
    public var settings: ScanSettings
    public var removeBlankPages: Bool
    public var blankThreshold: Double
    public var jpegQuality: Int
    public var format: OutputFormat
    /// Huffman tables of JPEG pages (`jpeg_optimize = true`: optimised per page).
    public var huffmanTables: HuffmanTables = .default

    public init(settings: ScanSettings, removeBlankPages: Bool = false, blankThreshold: Double = 0.001,
                jpegQuality: Int = 80, format: OutputFormat = .pdf) {
        self.settings = settings
        self.removeBlankPages = removeBlankPages
        self.blankThreshold = blankThreshold
        self.jpegQuality = jpegQuality
        self.format = format
    }
}

/// Scans pages and streams them into a PDF (or multi-page TIFF): rows go from the device through
/// the encoder into the file in strips, each page compressed once (G4 for lineart, JPEG
/// otherwise) and embedded as it is; no page is held whole, raw or compressed, unless it must
/// wait for its turn or for its blank-page decision (`PageAssembler`).
public enum DocumentBuilder {
    /// Bytes of strips the reader may queue ahead of the encoder.
    static let stripQueueBytes = 4 << 20
    /// With parallel encoders a page's reader may run further ahead, so the device can finish the
    /// page and start the next one on the other worker.
    static let parallelQueueBytes = 8 << 20
    /// Threads encoding the pages of one batch: two on a machine with two cores or more;
    /// `INTAKE_ENCODERS=1` forces one (benchmarks compare both).
    static var encodeWorkers: Int {
        if let forced = ProcessInfo.processInfo.environment["INTAKE_ENCODERS"].flatMap(Int.init), forced >= 1 { return min(forced, 8) }
        return min(2, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Scans into `path`. On any error the partial file is removed and the error rethrown, so a
    /// jam never leaves half a document behind; the clerk scans the paper again.
    ///
    /// With `sink`, the PDF's bytes go into the sink it makes for `path` instead of a plain file
    /// (the Appliance passes a SealingFile, encrypting as it is written: a classified document's
    /// pages never touch the disk in the clear). The sink is made once the scan starts, so a
    /// failure before then leaves nothing behind; PDF only.
    public static func scan(
        with scanner: any Scanning.Scanner,
        recipe: ScanRecipe,
        to path: String,
        metadata: PDFMetadata,
        sink makeSink: ((String) throws -> any ByteSink)? = nil,
        shouldStop: () -> Bool = { false },
        progress: (ScanProgress) -> Void = { _ in }
    ) throws -> BuiltDocument {
        try scanner.apply(recipe.settings)
        let detector = BlankPageDetector(inkThreshold: recipe.blankThreshold)
        let encoder = PageStreamEncoder(jpegQuality: recipe.jpegQuality, tables: recipe.huffmanTables,
                                        blankDetector: recipe.removeBlankPages ? detector : nil)
        var kept = 0
        var blank = 0
        var stoppedEarly = false
        var lastPage: PageStrips?
        do {
            let stop = {
                if shouldStop() { stoppedEarly = true; return true }
                return false
            }
            let scanned: Int
            /// Ends the file once the pages are known to be there.
            let finishFile: () throws -> Void
            if recipe.format == .pdf {
                // Pages stream from the device through the encoder into the file in strips: no
                // whole-page raster, and no whole page of JPEG waiting when the last line comes.
                let pdf = if let makeSink {
                    try PDFWriter(sink: try makeSink(path), name: path, metadata: metadata)
                } else {
                    try PDFWriter(path: path, metadata: metadata)
                }
                let document = PageAssembler(pdf: pdf, removeBlankPages: recipe.removeBlankPages)
                func report(_ page: PageStreamEncoder.Written) {
                    progress(.page(number: page.index, width: page.width, height: page.height, blank: page.isBlank))
                }
                let workers = DocumentBuilder.encodeWorkers
                if workers > 1 {
                    // The device outruns one core: pages of the batch encode side by side, kept in order.
                    let pool = PageEncoderPool(workers: workers, encoder: encoder, document: document)
                    do {
                        scanned = try scanner.scanStreaming(capacityBytes: DocumentBuilder.parallelQueueBytes, shouldStop: stop) { strips in
                            lastPage = strips
                            document.expect(strips.format.index)
                            try pool.submit(strips)
                            for page in try pool.ready() { report(page) }
                        }
                        for page in try pool.finish() { report(page) }
                    } catch {
                        pool.shutdown()
                        throw error
                    }
                } else {
                    scanned = try scanner.scanStreaming(capacityBytes: DocumentBuilder.stripQueueBytes, shouldStop: stop) { strips in
                        lastPage = strips
                        document.expect(strips.format.index)
                        report(try encoder.encode(strips, into: document))
                    }
                }
                if !stoppedEarly {
                    try document.finish()
                    kept = document.kept
                    blank = document.blank
                }
                finishFile = pdf.finish
            } else {
                // libtiff seeks back into its file: a sealed TIFF would need a plain one first.
                precondition(makeSink == nil, "a byte sink takes PDFs only (classified scans are PDFs)")
                let tiff = try TIFFWriter(path: path, jpegQuality: recipe.jpegQuality)
                if recipe.removeBlankPages {
                    // libtiff writes each strip as it fills: a page must be known not blank before
                    // its first row goes in, so with blank removal each page is read whole first.
                    scanned = try scanner.scan(shouldStop: stop) { page in
                        let raster = Raster(page)
                        let isBlank = detector.isBlank(raster)
                        progress(.page(number: page.index, width: page.width, height: page.height, blank: isBlank))
                        if isBlank { blank += 1; return }
                        try tiff.add(raster)
                        kept += 1
                    }
                } else {
                    // Rows stream from the device into libtiff's strips: no whole-page raster.
                    scanned = try scanner.scanStreaming(capacityBytes: DocumentBuilder.stripQueueBytes, shouldStop: stop) { strips in
                        lastPage = strips
                        let format = strips.format
                        if let layout = PageLayout(format) {
                            var current: Strip?
                            try tiff.add(layout) {
                                current = try strips.next()
                                return current?.bytes
                            }
                            current = nil
                        } else {
                            try tiff.add(Raster(try strips.readAll()))  // names the unsupported format
                        }
                        progress(.page(number: format.index, width: format.width, height: format.height, blank: false))
                        kept += 1
                    }
                }
                finishFile = tiff.finish
            }
            if stoppedEarly { throw PipelineError.stopped(pagesScanned: scanned) }
            guard kept > 0 else {
                throw blank > 0 ? PipelineError.allPagesBlank(blank) : PipelineError.noPages
            }
            try finishFile()
        } catch {
            unlink(path)
            throw error
        }
        progress(.finished(pages: kept, blankRemoved: blank))
        // stat, not FileManager's attributes: without full Foundation the size is no NSNumber
        // and `as? Int` would read 0.
        var info = stat()
        let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
        return BuiltDocument(path: path, pages: kept, blankPagesRemoved: blank, bytes: size, lastLineAt: lastPage?.lastRowAt)
    }
}

extension Raster {
    /// A scanned page as Imaging sees it; the pixel buffer is shared, not copied.
    init(_ page: Page) {
        self.init(width: page.width, height: page.height, bitsPerSample: page.depth, samplesPerPixel: page.channels,
                  bytesPerRow: page.bytesPerLine, xResolution: page.resolution, yResolution: page.resolution,
                  pixels: page.pixels)
    }
}

/// Failures of the scan-to-document pipeline itself (scanner errors are ScanError).
public struct PipelineError: IntakeError {
    public enum Code: String, Sendable, CaseIterable { case stopped, allPagesBlank, noPages, diskFull, clockWrong, busy, unknownProfile, noScanner, digitisation }
    public var code: Code
    public var message: String
    public var detail: String

    public init(code: Code, message: String, detail: String) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    /// Unprefixed, as the socket has always carried them ("stopped", "busy").
    public var errorCode: String { code.rawValue }

    public static func stopped(pagesScanned: Int) -> PipelineError {
        .init(code: .stopped, message: "Scanning was stopped before the end of the document; nothing was registered — scan it again.",
              detail: "service stopping after \(pagesScanned) page(s)")
    }
    public static func allPagesBlank(_ count: Int) -> PipelineError {
        .init(code: .allPagesBlank, message: "Every page came out blank — turn the paper over and scan again.",
              detail: "\(count) page(s) below the blank threshold")
    }
    public static let noPages = PipelineError(code: .noPages, message: "No page was scanned — put the paper in the feeder.", detail: "")
    public static let busy = PipelineError(code: .busy, message: "The scanner is busy with another document — wait for it to finish.", detail: "")
    public static func unknownProfile(_ name: String, known: [String]) -> PipelineError {
        .init(code: .unknownProfile, message: "There is no scan profile named '\(name)'.", detail: "profiles: \(known.sorted().joined(separator: ", "))")
    }
    public static func noScanner(_ detail: String) -> PipelineError {
        .init(code: .noScanner, message: "The scanner is not connected — check its cable and power.", detail: detail)
    }
}
