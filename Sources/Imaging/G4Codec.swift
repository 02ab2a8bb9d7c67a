internal import CTiff

/// CCITT Group 4 through libtiff, entirely in memory.
enum G4Codec {
    /// Encodes a bilevel raster (bit set = black) into one raw G4 strip.
    ///
    /// libtiff writes a one-strip MinIsWhite TIFF into a growing memory buffer; the strip's
    /// bytes are then read back raw (TIFFReadRawStrip), which is exactly the T.6 stream a PDF
    /// /CCITTFaxDecode filter takes (K -1, BlackIs1 false: white runs are 0 bits = paper).
    static func encode(_ raster: Raster) throws -> [UInt8] {
        guard let layout = PageLayout(raster) else { throw ImagingError.invalidRaster("not a bilevel raster") }
        return try raster.pixels.withUnsafeBytes { pixels in
            var given: UnsafeRawBufferPointer? = pixels
            return try encode(layout) {
                defer { given = nil }
                return given
            }
        }
    }

    /// Encodes rows pulled from `next` as they come (whole rows, valid until the next call), row by
    /// row through libtiff's G4 coder; only the compressed strip grows in memory.
    static func encode(_ layout: PageLayout, next: () throws -> UnsafeRawBufferPointer?) throws -> [UInt8] {
        let template = Raster(width: layout.width, height: layout.height, bitsPerSample: 1, samplesPerPixel: 1,
                              bytesPerRow: layout.bytesPerRow, xResolution: layout.xResolution,
                              yResolution: layout.yResolution, pixels: [])
        let writer = try TIFFHandle(memoryMode: "w")
        try writer.describePage(template, space: .bilevel, compression: COMPRESSION_CCITTFAX4, rowsPerStrip: layout.height)
        try writer.writeRows(layout, next: next)
        guard TIFFWriteDirectory(writer.tiff) == 1 else { throw writer.failure("write directory") }
        writer.close()

        let reader = try TIFFHandle(memoryMode: "r", bytes: writer.memoryBytes)
        guard TIFFNumberOfStrips(reader.tiff) == 1 else { throw ImagingError.tiff("expected one G4 strip") }
        let size = Int(TIFFRawStripSize(reader.tiff, 0))
        guard size > 0 else { throw reader.failure("empty G4 strip") }
        var strip = [UInt8](repeating: 0, count: size)
        let read = strip.withUnsafeMutableBytes { TIFFReadRawStrip(reader.tiff, 0, $0.baseAddress, tmsize_t(size)) }
        guard read == size else { throw reader.failure("read raw G4 strip (\(read) of \(size) bytes)") }
        return strip
    }

    /// Decodes a raw G4 strip back to packed rows (bit set = black). Used to prove losslessness.
    static func decode(_ data: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        let template = Raster(width: width, height: height, bitsPerSample: 1, samplesPerPixel: 1,
                              xResolution: 300, yResolution: 300, pixels: [])
        let writer = try TIFFHandle(memoryMode: "w")
        try writer.describePage(template, space: .bilevel, compression: COMPRESSION_CCITTFAX4, rowsPerStrip: height)
        var copy = data
        let wrote = copy.withUnsafeMutableBytes { TIFFWriteRawStrip(writer.tiff, 0, $0.baseAddress, tmsize_t($0.count)) }
        guard wrote == data.count else { throw writer.failure("write raw strip") }
        guard TIFFWriteDirectory(writer.tiff) == 1 else { throw writer.failure("write directory") }
        writer.close()
        let reader = try TIFFHandle(memoryMode: "r", bytes: writer.memoryBytes)
        let stride = template.bytesPerRow
        var out = [UInt8](repeating: 0, count: stride * height)
        let size = stride * height
        let got = out.withUnsafeMutableBytes { TIFFReadEncodedStrip(reader.tiff, 0, $0.baseAddress, tmsize_t(size)) }
        guard got == size else { throw reader.failure("decode G4 strip (\(got) of \(size) bytes)") }
        return out
    }
}
