import Foundation
import Testing
@testable import Imaging

@Suite struct PageEncoderTests {
    @Test(arguments: [
        (2480, 3508, 0),   // A4 at 300 dpi
        (1001, 77, 3),     // width not a multiple of 8, padded rows
        (9, 5, 0),
    ])
    func bilevelPageRoundTripsThroughG4Losslessly(width: Int, height: Int, padding: Int) throws {
        var canvas = Canvas(width: width, height: height, space: .bilevel, padding: padding)
        canvas.textLine(y: height / 4, fromX: 0, toX: width)
        canvas.specks(count: width * height / 500)
        canvas.fill(x: width - 3, y: 0, width: 3, height: height)  // ink touching the right edge
        let page = try PageEncoder.encode(canvas.raster)
        #expect(page.compression == .ccittG4)
        #expect(page.colorSpace == .bilevel)
        #expect(page.width == width && page.height == height)
        #expect(page.data.count < canvas.raster.pixels.count)  // it compressed

        let decoded = try G4Codec.decode(page.data, width: width, height: height)
        let stride = (width + 7) / 8
        #expect(sameBilevelPixels(canvas.raster, canvas.raster.bytesPerRow, decoded, stride))
    }

    @Test func g4DecodeDetectsADifferentPage() throws {
        var a = Canvas(width: 64, height: 16, space: .bilevel)
        a.fill(x: 10, y: 4, width: 20, height: 3)
        var b = a
        b.fill(x: 40, y: 10, width: 1, height: 1)
        let decoded = try G4Codec.decode(PageEncoder.encode(b.raster).data, width: 64, height: 16)
        #expect(!sameBilevelPixels(a.raster, a.raster.bytesPerRow, decoded, 8))
    }

    @Test(arguments: [ColorSpace.gray, .rgb])
    func continuousTonePageBecomesAValidJPEGThatDecodes(space: ColorSpace) throws {
        var canvas = Canvas(width: 850, height: 1100, space: space, dpi: 100, padding: 5)
        canvas.gradient()
        canvas.textLine(y: 200, fromX: 60, toX: 790)
        let page = try PageEncoder.encode(canvas.raster, jpegQuality: 85)
        #expect(page.compression == .jpeg(quality: 85))
        #expect(page.colorSpace == space)
        #expect(Array(page.data.prefix(2)) == [0xFF, 0xD8])  // SOI
        #expect(Array(page.data.suffix(2)) == [0xFF, 0xD9])  // EOI

        let decoded = try JPEGCodec.decode(page.data)
        #expect(decoded.width == 850 && decoded.height == 1100)
        #expect(decoded.samplesPerPixel == (space == .rgb ? 3 : 1))
        // Mean absolute error against the source stays small at quality 85.
        let spp = decoded.samplesPerPixel
        var error = 0
        for y in stride(from: 0, to: 1100, by: 7) {
            for i in 0..<(850 * spp) {
                error += abs(Int(decoded.pixels[y * decoded.bytesPerRow + i]) - Int(canvas.raster.pixels[y * canvas.raster.bytesPerRow + i]))
            }
        }
        let samples = ((1100 + 6) / 7) * 850 * spp
        #expect(Double(error) / Double(samples) < 4)
    }

    @Test func jpegHeaderCarriesTheResolutionInDotsPerInch() throws {
        var canvas = Canvas(width: 64, height: 64, space: .gray, dpi: 300)
        canvas.gradient()
        let data = try PageEncoder.encode(canvas.raster).data
        // JFIF APP0: FF E0, length, "JFIF\0", version(2), units(1), Xdensity(2), Ydensity(2)
        #expect(Array(data[6..<11]) == Array("JFIF".utf8) + [0])
        #expect(data[13] == 1)
        #expect(Int(data[14]) << 8 | Int(data[15]) == 300)
    }

    @Test(arguments: [
        ("unsupported depth", Raster(width: 10, height: 10, bitsPerSample: 16, samplesPerPixel: 1, xResolution: 300, yResolution: 300, pixels: [UInt8](repeating: 0, count: 200))),
        ("short buffer", Raster(width: 10, height: 10, bitsPerSample: 8, samplesPerPixel: 1, xResolution: 300, yResolution: 300, pixels: [1, 2, 3])),
        ("narrow stride", Raster(width: 100, height: 1, bitsPerSample: 8, samplesPerPixel: 3, bytesPerRow: 100, xResolution: 300, yResolution: 300, pixels: [UInt8](repeating: 0, count: 300))),
        ("zero size", Raster(width: 0, height: 10, bitsPerSample: 1, samplesPerPixel: 1, xResolution: 300, yResolution: 300, pixels: [])),
        ("no resolution", Raster(width: 8, height: 1, bitsPerSample: 1, samplesPerPixel: 1, xResolution: 0, yResolution: 300, pixels: [0])),
    ])
    func malformedRasterIsRejectedWithATypedError(_ name: String, raster: Raster) {
        #expect {
            try PageEncoder.encode(raster)
        } throws: { error in
            (error as? ImagingError)?.code == .invalidRaster
        }
    }
}
