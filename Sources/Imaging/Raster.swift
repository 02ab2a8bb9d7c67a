/// An uncompressed page image as delivered by the scanner.
///
/// Bilevel rasters use SANE's lineart convention: 1 bit per pixel, MSB first, bit set = black.
/// Gray is 8-bit, 0 = black. RGB is 8-bit interleaved.
public struct Raster: Sendable {
    public var width: Int
    public var height: Int
    /// 1 (bilevel) or 8.
    public var bitsPerSample: Int
    /// 1 gray/bilevel, 3 RGB interleaved.
    public var samplesPerPixel: Int
    /// Bytes per row including any padding at its end.
    public var bytesPerRow: Int
    /// Dots per inch.
    public var xResolution: Double
    public var yResolution: Double
    public var pixels: [UInt8]

    public init(width: Int, height: Int, bitsPerSample: Int, samplesPerPixel: Int, bytesPerRow: Int? = nil,
                xResolution: Double, yResolution: Double, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.bitsPerSample = bitsPerSample
        self.samplesPerPixel = samplesPerPixel
        self.bytesPerRow = bytesPerRow ?? Raster.minimumBytesPerRow(width: width, bitsPerSample: bitsPerSample,
                                                                     samplesPerPixel: samplesPerPixel)
        self.xResolution = xResolution
        self.yResolution = yResolution
        self.pixels = pixels
    }

    /// A white page of the given format (bilevel: all bits clear; gray/RGB: all 255).
    public static func blank(width: Int, height: Int, colorSpace: ColorSpace, resolution: Double) -> Raster {
        let bits = colorSpace == .bilevel ? 1 : 8
        let spp = colorSpace == .rgb ? 3 : 1
        let stride = minimumBytesPerRow(width: width, bitsPerSample: bits, samplesPerPixel: spp)
        let fill: UInt8 = colorSpace == .bilevel ? 0 : 255
        return Raster(width: width, height: height, bitsPerSample: bits, samplesPerPixel: spp, bytesPerRow: stride,
                      xResolution: resolution, yResolution: resolution,
                      pixels: [UInt8](repeating: fill, count: stride * height))
    }

    public static func minimumBytesPerRow(width: Int, bitsPerSample: Int, samplesPerPixel: Int) -> Int {
        (width * bitsPerSample * samplesPerPixel + 7) / 8
    }

    /// The colour space implied by the sample layout, or nil if unsupported.
    public var colorSpace: ColorSpace? {
        switch (bitsPerSample, samplesPerPixel) {
        case (1, 1): .bilevel
        case (8, 1): .gray
        case (8, 3): .rgb
        default: nil
        }
    }

    /// Checks geometry and format; throws `ImagingError.Code.invalidRaster`.
    @discardableResult
    public func validated() throws -> ColorSpace {
        let space = try validatedGeometry()
        let minimum = Raster.minimumBytesPerRow(width: width, bitsPerSample: bitsPerSample, samplesPerPixel: samplesPerPixel)
        guard pixels.count >= bytesPerRow * (height - 1) + minimum else {
            throw ImagingError.invalidRaster("pixel buffer has \(pixels.count) bytes, need \(bytesPerRow * height)")
        }
        return space
    }

    /// Everything `validated()` checks but the pixel buffer's length.
    @discardableResult
    func validatedGeometry() throws -> ColorSpace {
        guard let space = colorSpace else {
            throw ImagingError.invalidRaster("unsupported format: \(bitsPerSample) bits × \(samplesPerPixel) samples")
        }
        guard width > 0, height > 0, width <= 65_535, height <= 65_535 else {
            throw ImagingError.invalidRaster("bad size \(width)×\(height)")
        }
        let minimum = Raster.minimumBytesPerRow(width: width, bitsPerSample: bitsPerSample,
                                                samplesPerPixel: samplesPerPixel)
        guard bytesPerRow >= minimum else {
            throw ImagingError.invalidRaster("bytesPerRow \(bytesPerRow) < \(minimum) for width \(width)")
        }
        guard xResolution.isFinite, yResolution.isFinite, xResolution >= 1, yResolution >= 1,
              xResolution <= 100_000, yResolution <= 100_000 else {
            throw ImagingError.invalidRaster("bad resolution \(xResolution)×\(yResolution) dpi")
        }
        return space
    }
}
