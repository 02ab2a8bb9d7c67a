public import Imaging
public import Scanning

/// Encodes one page as its strips arrive from the scanner, counting its ink for the blank-page
/// decision on the way: the page is never held whole.
public struct PageStreamEncoder: Sendable {
    public var jpegQuality: Int
    public var tables: HuffmanTables
    /// Set when blank pages are removed: ink is counted only then.
    public var blankDetector: BlankPageDetector?

    public init(jpegQuality: Int, tables: HuffmanTables, blankDetector: BlankPageDetector?) {
        self.jpegQuality = jpegQuality
        self.tables = tables
        self.blankDetector = blankDetector
    }

    public struct Result: Sendable {
        public var page: EncodedPage
        public var isBlank: Bool
        public var index: Int
    }

    /// A page encoded straight into its document (`PageAssembler`): what progress reports.
    struct Written: Sendable {
        var index: Int
        var width: Int
        var height: Int
        var isBlank: Bool
    }

    /// Encodes a page into `document` as its strips arrive: its bytes go into the file as they
    /// are made when it is the page's turn (and, with blank removal, once its ink says it stays).
    func encode(_ strips: PageStrips, into document: PageAssembler) throws -> Written {
        let format = strips.format
        let index = format.index
        guard let layout = PageLayout(format) else {
            let result = try encode(strips)
            try document.begin(index, image: result.page.image)
            try result.page.data.withUnsafeBytes { try document.write(index, $0) }
            try document.end(index, isBlank: result.isBlank)
            return Written(index: index, width: result.page.width, height: result.page.height, isBlank: result.isBlank)
        }
        try document.begin(index, image: PageEncoder.image(of: layout, jpegQuality: jpegQuality))
        let isBlank = try stream(strips, layout, inked: { try document.inked(index) },
                                 emit: { bytes in try document.write(index, bytes) })
        try document.end(index, isBlank: isBlank)
        return Written(index: index, width: layout.width, height: layout.height, isBlank: isBlank)
    }

    /// Encodes a page whole in memory (tests, and pages whose format the encoders do not take).
    public func encode(_ strips: PageStrips) throws -> Result {
        let format = strips.format
        guard let layout = PageLayout(format) else {
            // Not a format the encoders take: the whole page goes through the raster path, which names the problem.
            let raster = Raster(try strips.readAll())
            let page = try PageEncoder.encode(raster, jpegQuality: jpegQuality, tables: tables)
            return Result(page: page, isBlank: blankDetector?.isBlank(raster) ?? false, index: format.index)
        }
        var data: [UInt8] = []
        let isBlank = try stream(strips, layout, inked: {}, emit: { data.append(contentsOf: $0) })
        return Result(page: EncodedPage(image: PageEncoder.image(of: layout, jpegQuality: jpegQuality), data: data),
                      isBlank: isBlank, index: format.index)
    }

    /// Pulls the page's strips through the blank-page count into the encoder, handing the
    /// compressed bytes to `emit` as they are made; `inked` is called once, when the ink passes
    /// the blank threshold (only while blank pages are removed). Returns whether the page is blank.
    private func stream(_ strips: PageStrips, _ layout: PageLayout, inked: () throws -> Void,
                        emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var statistics = blankDetector.map { BlankPageStatistics(detector: $0, layout: layout) }
        var toldInked = false
        var current: Strip?
        _ = try PageEncoder.encode(layout, jpegQuality: jpegQuality, tables: tables, next: {
            current = try strips.next()
            guard let strip = current else { return nil }
            if statistics != nil {
                statistics?.add(strip.bytes, firstRow: strip.firstRow)
                if !toldInked, statistics?.isBlank == false {
                    toldInked = true
                    try inked()
                }
            }
            return strip.bytes
        }, emit: emit)
        current = nil
        return statistics?.isBlank ?? false
    }
}

extension PageLayout {
    /// The layout of a streamed page; nil for a sample format the encoders do not take.
    init?(_ format: PageFormat) {
        let space: ColorSpace
        switch (format.depth, format.channels) {
        case (1, 1): space = .bilevel
        case (8, 1): space = .gray
        case (8, 3): space = .rgb
        default: return nil
        }
        self.init(width: format.width, height: format.height, colorSpace: space, bytesPerRow: format.bytesPerLine,
                  xResolution: format.resolution, yResolution: format.resolution)
    }
}
