/// Compresses a scanned page for embedding: bilevel → CCITT G4, gray/RGB → JPEG.
public enum PageEncoder {
    public static func encode(_ raster: Raster, jpegQuality: Int = 80) throws -> EncodedPage {
        let space = try raster.validated()
        switch space {
        case .bilevel:
            let data = try G4Codec.encode(raster)
            return EncodedPage(width: raster.width, height: raster.height, xResolution: raster.xResolution,
                               yResolution: raster.yResolution, colorSpace: .bilevel, compression: .ccittG4, data: data)
        case .gray, .rgb:
            let quality = min(max(jpegQuality, 1), 100)
            let data = try JPEGCodec.encode(raster, quality: quality)
            return EncodedPage(width: raster.width, height: raster.height, xResolution: raster.xResolution,
                               yResolution: raster.yResolution, colorSpace: space, compression: .jpeg(quality: quality),
                               data: data)
        }
    }
}
