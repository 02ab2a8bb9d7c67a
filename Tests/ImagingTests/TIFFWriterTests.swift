import Foundation
import Testing
@testable import Imaging

@Suite struct TIFFWriterTests {
    func threePages() -> [Raster] {
        var lineart = Canvas(width: 1250, height: 1750, space: .bilevel, dpi: 300)
        lineart.textLine(y: 200, fromX: 100, toX: 1100)
        var gray = Canvas(width: 500, height: 700, space: .gray, dpi: 300)
        gray.gradient()
        var colour = Canvas(width: 500, height: 700, space: .rgb, dpi: 300)
        colour.gradient()
        return [lineart.raster, gray.raster, colour.raster]
    }

    @Test func multiPageTIFFPassesTiffinfoWithPagesCompressionAndResolution() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.tif").path
        let writer = try TIFFWriter(path: path, jpegQuality: 80)
        for raster in threePages() { try writer.add(raster) }
        #expect(writer.pageCount == 3)
        try writer.finish()

        let info = try runTool("tiffinfo", [path])
        #expect(info.status == 0, "\(info.output)")
        #expect(info.output.components(separatedBy: "TIFF Directory at offset").count - 1 == 3, "\(info.output)")
        #expect(info.output.components(separatedBy: "Compression Scheme: CCITT Group 4").count - 1 == 1)
        #expect(info.output.components(separatedBy: "Compression Scheme: JPEG").count - 1 == 2)
        #expect(info.output.components(separatedBy: "Resolution: 300, 300 pixels/inch").count - 1 == 3)
        #expect(!info.output.lowercased().contains("error"))

        let pages = try TIFFReader.read(path: path)
        #expect(pages.count == 3)
        let lineart = threePages()[0]
        #expect(pages[0].raster.width == lineart.width && pages[0].raster.height == lineart.height)
        #expect(sameBilevelPixels(lineart, lineart.bytesPerRow, pages[0].raster.pixels, pages[0].raster.bytesPerRow))
        #expect(pages[2].raster.samplesPerPixel == 3)
    }

    @Test func deflateKeepsGrayAndColourPagesLossless() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("doc.tif").path
        let writer = try TIFFWriter(path: path, continuousTone: .deflate)
        let sources = Array(threePages()[1...])
        for raster in sources { try writer.add(raster) }
        try writer.finish()

        let info = try runTool("tiffinfo", [path])
        #expect(info.output.components(separatedBy: "Compression Scheme: AdobeDeflate").count - 1 == 2, "\(info.output)")
        let pages = try TIFFReader.read(path: path)
        #expect(pages.map(\.raster.pixels) == sources.map(\.pixels))
    }

    /// Rows handed over in strips of 7 (not a multiple of libtiff's 64-row strips) make the same
    /// lossless pages as whole rasters; a page that ends early is an error, not a short page.
    @Test func pagesFedInStripsAreTheSamePagesAndAShortOneIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("strips.tif").path
        let writer = try TIFFWriter(path: path, continuousTone: .deflate)
        let sources = Array(threePages()[1...])
        for raster in sources {
            let layout = try #require(PageLayout(raster))
            var row = 0
            try raster.pixels.withUnsafeBytes { pixels in
                try writer.add(layout) {
                    guard row < raster.height else { return nil }
                    let rows = min(7, raster.height - row)
                    defer { row += rows }
                    return UnsafeRawBufferPointer(rebasing: pixels[(row * raster.bytesPerRow)..<((row + rows) * raster.bytesPerRow)])
                }
            }
        }
        try writer.finish()
        let pages = try TIFFReader.read(path: path)
        #expect(pages.count == 2)
        #expect(pages.map(\.raster.pixels) == sources.map(\.pixels))

        // A jam mid-page: the rows stop; the writer says so (the scan then removes the file).
        let broken = try TIFFWriter(path: dir.appendingPathComponent("short.tif").path, continuousTone: .deflate)
        let short = try #require(PageLayout(sources[0]))
        let error = try #require(throws: ImagingError.self) {
            try sources[0].pixels.withUnsafeBytes { pixels in
                var given = false
                try broken.add(short) {
                    defer { given = true }
                    return given ? nil : UnsafeRawBufferPointer(rebasing: pixels[0..<(10 * sources[0].bytesPerRow)])
                }
            }
        }
        #expect(error.code == .invalidRaster)
    }

    @Test func finishWithoutPagesFails() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try TIFFWriter(path: dir.appendingPathComponent("none.tif").path)
        #expect(throws: ImagingError.self) { try writer.finish() }
    }
}
