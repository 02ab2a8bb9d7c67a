/// Compresses a scanned page for embedding: bilevel → CCITT G4, gray/RGB → JPEG.
public enum PageEncoder {
    public static func encode(_ raster: Raster, jpegQuality: Int = 80, tables: HuffmanTables = .default) throws -> EncodedPage {
        try raster.validated()
        guard let layout = PageLayout(raster) else { throw ImagingError.invalidRaster("unsupported raster") }
        return try raster.pixels.withUnsafeBytes { pixels in
            var given: UnsafeRawBufferPointer? = pixels
            return try encode(layout, jpegQuality: jpegQuality, tables: tables) {
                defer { given = nil }
                return given
            }
        }
    }

    /// Encodes a page whose rows arrive in strips: `next` gives whole rows of `layout.bytesPerRow`
    /// bytes, in order, each valid until the next call; the page is never held whole. Errors thrown
    /// by `next` (a jam mid-page) are rethrown unchanged.
    public static func encode(_ layout: PageLayout, jpegQuality: Int = 80, tables: HuffmanTables = .default,
                              next: () throws -> UnsafeRawBufferPointer?) throws -> EncodedPage {
        var data: [UInt8] = []
        let image = try encode(layout, jpegQuality: jpegQuality, tables: tables, next: next) { data.append(contentsOf: $0) }
        return EncodedPage(image: image, data: data)
    }

    /// The image a page of `layout` becomes (known before its first row is encoded).
    public static func image(of layout: PageLayout, jpegQuality: Int) -> PageImage {
        let compression: Compression = layout.colorSpace == .bilevel ? .ccittG4 : .jpeg(quality: min(max(jpegQuality, 1), 100))
        return PageImage(width: layout.width, height: layout.height, xResolution: layout.xResolution,
                         yResolution: layout.yResolution, colorSpace: layout.colorSpace, compression: compression)
    }

    /// Encodes a page whose rows arrive in strips and hands the compressed stream to `emit` as it
    /// is made: a JPEG 64 KiB at a time while its rows arrive, a G4 strip whole at the end (it is
    /// small). Returns the image the bytes make. Errors of `next` and `emit` pass through unchanged.
    public static func encode(_ layout: PageLayout, jpegQuality: Int = 80, tables: HuffmanTables = .default,
                              next: () throws -> UnsafeRawBufferPointer?,
                              emit: (UnsafeRawBufferPointer) throws -> Void) throws -> PageImage {
        try layout.validated()
        let image = image(of: layout, jpegQuality: jpegQuality)
        switch layout.colorSpace {
        case .bilevel:
            let data = try G4Codec.encode(layout, next: next)
            try data.withUnsafeBytes { try emit($0) }
        case .gray, .rgb:
            try JPEGCodec.encode(layout, quality: min(max(jpegQuality, 1), 100), tables: tables, next: next, emit: emit)
        }
        return image
    }
}
