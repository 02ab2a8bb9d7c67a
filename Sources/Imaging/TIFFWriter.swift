internal import CTiff

/// Writes a multi-page TIFF: bilevel pages as CCITT G4, gray/RGB as JPEG (or Deflate),
/// each with X/YResolution in dots per inch and SubfileType "page".
public final class TIFFWriter {
    /// How gray and colour pages are compressed.
    public enum ContinuousToneCompression: Sendable, Equatable {
        case jpeg
        /// Lossless, with horizontal differencing.
        case deflate
    }

    private let handle: TIFFHandle
    private let path: String
    private let jpegQuality: Int
    private let continuousTone: ContinuousToneCompression
    private var finished = false
    public private(set) var pageCount = 0

    public init(path: String, jpegQuality: Int = 80, continuousTone: ContinuousToneCompression = .jpeg) throws {
        self.path = path
        self.jpegQuality = min(max(jpegQuality, 1), 100)
        self.continuousTone = continuousTone
        self.handle = try TIFFHandle(path: path, mode: "w")
    }

    public func add(_ raster: Raster) throws {
        _ = try raster.validated()
        guard let layout = PageLayout(raster) else { throw ImagingError.invalidRaster("unsupported raster") }
        try raster.pixels.withUnsafeBytes { pixels in
            var given: UnsafeRawBufferPointer? = pixels
            try add(layout) {
                defer { given = nil }
                return given
            }
        }
    }

    /// Adds a page whose rows arrive in strips (`next`: whole rows of `layout.bytesPerRow`, each
    /// valid until the next call): libtiff compresses and writes each strip of 64 rows as it fills,
    /// so the page is never held whole. Errors thrown by `next` pass through unchanged.
    public func add(_ layout: PageLayout, next: () throws -> UnsafeRawBufferPointer?) throws {
        guard !finished else { throw ImagingError.writerState("TIFFWriter.add after finish: \(path)") }
        try layout.validated()
        let space = layout.colorSpace
        let template = Raster(width: layout.width, height: layout.height, bitsPerSample: space.bitsPerSample,
                              samplesPerPixel: space.samplesPerPixel, bytesPerRow: layout.bytesPerRow,
                              xResolution: layout.xResolution, yResolution: layout.yResolution, pixels: [])
        switch space {
        case .bilevel:
            try handle.describePage(template, space: space, compression: COMPRESSION_CCITTFAX4, rowsPerStrip: layout.height)
        case .gray, .rgb:
            switch continuousTone {
            case .jpeg:
                // Strips of 64 rows: a multiple of the 16-row MCU that 2×2 YCbCr subsampling needs.
                try handle.describePage(template, space: space, compression: COMPRESSION_JPEG, rowsPerStrip: 64)
                try handle.set(TIFFTAG_JPEGQUALITY, int: Int32(jpegQuality))
                if space == .rgb {
                    // Store YCbCr (compact, what readers expect for JPEG); libjpeg converts from RGB.
                    try handle.set(TIFFTAG_PHOTOMETRIC, u16: UInt16(PHOTOMETRIC_YCBCR))
                    try handle.set(TIFFTAG_JPEGCOLORMODE, int: JPEGCOLORMODE_RGB)
                }
            case .deflate:
                try handle.describePage(template, space: space, compression: COMPRESSION_ADOBE_DEFLATE, rowsPerStrip: 64)
                try handle.set(TIFFTAG_PREDICTOR, u16: UInt16(PREDICTOR_HORIZONTAL))
            }
        }
        try handle.set(TIFFTAG_SUBFILETYPE, u32: UInt32(FILETYPE_PAGE))
        try handle.set(TIFFTAG_PAGENUMBER, u16: UInt16(clamping: pageCount), 0)  // total unknown while streaming
        try handle.set(TIFFTAG_SOFTWARE, string: "Intake")
        try handle.writeRows(layout, next: next)
        guard TIFFWriteDirectory(handle.tiff) == 1 else { throw handle.failure("write directory of page \(pageCount + 1)") }
        pageCount += 1
    }

    /// Closes the file (flushed by libtiff, not fsynced).
    public func finish() throws {
        guard !finished else { throw ImagingError.writerState("TIFFWriter.finish called twice: \(path)") }
        guard pageCount > 0 else { throw ImagingError.writerState("TIFF without pages: \(path)") }
        finished = true
        handle.close()
    }
}
