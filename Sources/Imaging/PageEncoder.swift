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
        try layout.validated()
        switch layout.colorSpace {
        case .bilevel:
            let data = try G4Codec.encode(layout, next: next)
            return EncodedPage(width: layout.width, height: layout.height, xResolution: layout.xResolution,
                               yResolution: layout.yResolution, colorSpace: .bilevel, compression: .ccittG4, data: data)
        case .gray, .rgb:
            let quality = min(max(jpegQuality, 1), 100)
            let data = try JPEGCodec.encode(layout, quality: quality, tables: tables, next: next)
            return EncodedPage(width: layout.width, height: layout.height, xResolution: layout.xResolution,
                               yResolution: layout.yResolution, colorSpace: layout.colorSpace,
                               compression: .jpeg(quality: quality), data: data)
        }
    }
}
