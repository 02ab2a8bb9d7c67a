/// What a PDF says of a page image before its bytes: size, resolution, colour and codec.
public struct PageImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// Dots per inch.
    public var xResolution: Double
    public var yResolution: Double
    public var colorSpace: ColorSpace
    public var compression: Compression

    public init(width: Int, height: Int, xResolution: Double, yResolution: Double,
                colorSpace: ColorSpace, compression: Compression) {
        self.width = width
        self.height = height
        self.xResolution = xResolution
        self.yResolution = yResolution
        self.colorSpace = colorSpace
        self.compression = compression
    }

    /// Page size in PDF points (1/72 inch) so the page prints at 100 %.
    public var widthInPoints: Double { Double(width) / xResolution * 72 }
    public var heightInPoints: Double { Double(height) / yResolution * 72 }
}

/// One compressed page, ready to be embedded in a PDF as is.
public struct EncodedPage: Sendable {
    public var image: PageImage
    /// The compressed stream: a raw G4 strip or a complete JFIF file.
    public var data: [UInt8]

    public init(width: Int, height: Int, xResolution: Double, yResolution: Double,
                colorSpace: ColorSpace, compression: Compression, data: [UInt8]) {
        self.image = PageImage(width: width, height: height, xResolution: xResolution, yResolution: yResolution,
                               colorSpace: colorSpace, compression: compression)
        self.data = data
    }

    public init(image: PageImage, data: [UInt8]) {
        self.image = image
        self.data = data
    }

    public var width: Int { image.width }
    public var height: Int { image.height }
    public var xResolution: Double { image.xResolution }
    public var yResolution: Double { image.yResolution }
    public var colorSpace: ColorSpace { image.colorSpace }
    public var compression: Compression { image.compression }
    public var widthInPoints: Double { image.widthInPoints }
    public var heightInPoints: Double { image.heightInPoints }
}
