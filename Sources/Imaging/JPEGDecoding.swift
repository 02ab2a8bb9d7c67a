/// Decodes a baseline or progressive JPEG (the page images Intake's PDFs embed) into a raster,
/// for tools that read a page back (header OCR).
public enum JPEGDecoding {
    public static func decode(_ data: [UInt8]) throws -> Raster {
        try JPEGCodec.decode(data)
    }
}
