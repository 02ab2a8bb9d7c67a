/// One compressed page, ready to be embedded in a PDF as is.
public struct EncodedPage: Sendable {
    public var width: Int
    public var height: Int
    /// Dots per inch.
    public var xResolution: Double
    public var yResolution: Double
    public var colorSpace: ColorSpace
    public var compression: Compression
    /// The compressed stream: a raw G4 strip or a complete JFIF file.
    public var data: [UInt8]

    public init(width: Int, height: Int, xResolution: Double, yResolution: Double,
                colorSpace: ColorSpace, compression: Compression, data: [UInt8]) {
        self.width = width
        self.height = height
        self.xResolution = xResolution
        self.yResolution = yResolution
        self.colorSpace = colorSpace
        self.compression = compression
        self.data = data
    }

    /// Page size in PDF points (1/72 inch) so the page prints at 100 %.
    public var widthInPoints: Double { Double(width) / xResolution * 72 }
    public var heightInPoints: Double { Double(height) / yResolution * 72 }
}
