/// One page raster exactly as SANE delivered it, normalised to depth 1 or 8 and to interleaved RGB.
public struct Page: Sendable {
    /// 1-based position within the batch.
    public let index: Int
    /// Pixels per line.
    public let width: Int
    /// Lines.
    public let height: Int
    /// Bits per sample: 1 (lineart) or 8 (16-bit scans are reduced to 8).
    public let depth: Int
    /// 1 (gray/lineart) or 3 (RGB, interleaved).
    public let channels: Int
    /// Bytes per line in `pixels`; may exceed `width * channels * depth / 8` when the device pads lines.
    public let bytesPerLine: Int
    /// Dots per inch.
    public let resolution: Double
    /// `bytesPerLine * height` bytes. Depth 1 follows SANE: bit set = black, most significant bit first.
    public let pixels: [UInt8]

    public init(
        index: Int, width: Int, height: Int, depth: Int, channels: Int,
        bytesPerLine: Int, resolution: Double, pixels: [UInt8]
    ) {
        self.index = index
        self.width = width
        self.height = height
        self.depth = depth
        self.channels = channels
        self.bytesPerLine = bytesPerLine
        self.resolution = resolution
        self.pixels = pixels
    }
}
