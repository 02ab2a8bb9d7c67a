/// The shape of a page whose rows arrive in strips: everything a `Raster` says but its pixels.
public struct PageLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var colorSpace: ColorSpace
    /// Bytes per row including any padding at its end.
    public var bytesPerRow: Int
    public var xResolution: Double
    public var yResolution: Double

    public init(width: Int, height: Int, colorSpace: ColorSpace, bytesPerRow: Int? = nil,
                xResolution: Double, yResolution: Double) {
        self.width = width
        self.height = height
        self.colorSpace = colorSpace
        self.bytesPerRow = bytesPerRow ?? Raster.minimumBytesPerRow(width: width, bitsPerSample: colorSpace.bitsPerSample,
                                                                     samplesPerPixel: colorSpace.samplesPerPixel)
        self.xResolution = xResolution
        self.yResolution = yResolution
    }

    /// The layout of a whole raster; nil when its sample format is unsupported.
    public init?(_ raster: Raster) {
        guard let space = raster.colorSpace else { return nil }
        self.init(width: raster.width, height: raster.height, colorSpace: space, bytesPerRow: raster.bytesPerRow,
                  xResolution: raster.xResolution, yResolution: raster.yResolution)
    }

    /// Checks geometry as `Raster.validated()` does; throws `ImagingError.Code.invalidRaster`.
    public func validated() throws {
        let probe = Raster(width: width, height: height, bitsPerSample: colorSpace.bitsPerSample,
                           samplesPerPixel: colorSpace.samplesPerPixel, bytesPerRow: bytesPerRow,
                           xResolution: xResolution, yResolution: yResolution, pixels: [])
        try probe.validatedGeometry()
    }
}

extension ColorSpace {
    var bitsPerSample: Int { self == .bilevel ? 1 : 8 }
    var samplesPerPixel: Int { self == .rgb ? 3 : 1 }
}
