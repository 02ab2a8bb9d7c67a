internal import CTiff

/// Reads every page of a TIFF back into rasters (8-bit RGB for JPEG/YCbCr). Used by tests.
enum TIFFReader {
    struct Page {
        var raster: Raster
        var compression: Int
    }

    static func read(path: String) throws -> [Page] {
        let handle = try TIFFHandle(path: path, mode: "r")
        var pages: [Page] = []
        repeat {
            guard let width = handle.u32(TIFFTAG_IMAGEWIDTH), let height = handle.u32(TIFFTAG_IMAGELENGTH) else {
                throw handle.failure("missing size")
            }
            let bits = Int(handle.u16(TIFFTAG_BITSPERSAMPLE) ?? 1)
            let spp = Int(handle.u16(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
            let compression = Int(handle.u16(TIFFTAG_COMPRESSION) ?? 1)
            let photometric = handle.u16(TIFFTAG_PHOTOMETRIC) ?? 0
            if compression == COMPRESSION_JPEG && photometric == PHOTOMETRIC_YCBCR {
                try handle.set(TIFFTAG_JPEGCOLORMODE, int: JPEGCOLORMODE_RGB)
            }
            let stride = Raster.minimumBytesPerRow(width: Int(width), bitsPerSample: bits, samplesPerPixel: spp)
            var pixels = [UInt8](repeating: 0, count: stride * Int(height))
            let scanline = Int(TIFFScanlineSize(handle.tiff))
            var row = [UInt8](repeating: 0, count: max(scanline, stride))
            for y in 0..<Int(height) {
                let ok = row.withUnsafeMutableBytes { TIFFReadScanline(handle.tiff, $0.baseAddress, UInt32(y), 0) }
                guard ok == 1 else { throw handle.failure("read row \(y)") }
                pixels.replaceSubrange(y * stride..<(y + 1) * stride, with: row[0..<stride])
            }
            var raster = Raster(width: Int(width), height: Int(height), bitsPerSample: bits, samplesPerPixel: spp,
                                bytesPerRow: stride, xResolution: Double(handle.float(TIFFTAG_XRESOLUTION) ?? 0),
                                yResolution: Double(handle.float(TIFFTAG_YRESOLUTION) ?? 0), pixels: pixels)
            if photometric == PHOTOMETRIC_MINISBLACK && bits == 1 {
                raster.pixels = raster.pixels.map { ~$0 }  // normalise to bit set = black
            }
            pages.append(Page(raster: raster, compression: compression))
        } while TIFFReadDirectory(handle.tiff) == 1
        return pages
    }
}
