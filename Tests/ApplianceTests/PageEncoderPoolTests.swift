import Testing
@testable import PagePipeline
import Imaging
import Scanning

@Suite struct PageEncoderPoolTests {
    /// Gray pages of different heights (so they finish out of order on two workers), with text-like bars.
    static func page(_ index: Int) -> Page {
        let width = 400, height = index % 2 == 1 ? 1600 : 200
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in stride(from: 20, to: height - 20, by: 40) {
            for x in 40..<(width - 40) where (x / 7 + index) % 3 != 0 { pixels[y * width + x] = 0 }
        }
        return Page(index: index, width: width, height: height, depth: 8, channels: 1, bytesPerLine: width,
                    resolution: 150, pixels: pixels)
    }

    @Test func pagesEncodedOnTwoWorkersComeBackInPageOrderWithBoundedBuffering() throws {
        let encoder = PageStreamEncoder(jpegQuality: 80, tables: .trained, blankDetector: nil)
        let pool = PageEncoderPool(workers: 2, encoder: encoder)
        var order: [Int] = []
        for index in 1...12 {
            try pool.submit(PageStrips(page: Self.page(index)))
            order += try pool.ready().map(\.index)
        }
        let rest = try pool.finish()
        order += rest.map(\.index)
        #expect(order == Array(1...12))
        #expect(pool.mostRawPages <= pool.workers + 1)
        #expect(pool.mostHeldResults <= pool.workers)
        // Each result is the page it says: same bytes as encoding that page alone.
        let single = try encoder.encode(PageStrips(page: Self.page(12)))
        #expect(rest.last?.page.data == single.page.data)
    }

    @Test func aPageThatFailsToEncodeStopsThePoolWithItsError() throws {
        let encoder = PageStreamEncoder(jpegQuality: 80, tables: .trained, blankDetector: nil)
        let pool = PageEncoderPool(workers: 2, encoder: encoder)
        try pool.submit(PageStrips(page: Self.page(1)))
        // A page whose pixels stop short of its height: the encoder's typed error comes back.
        let broken = Page(index: 2, width: 400, height: 300, depth: 8, channels: 1, bytesPerLine: 400, resolution: 150,
                          pixels: [UInt8](repeating: 255, count: 400 * 100))
        try pool.submit(PageStrips(page: broken))
        let error = try #require(throws: ImagingError.self) { _ = try pool.finish() }
        #expect(error.code == .invalidRaster)
    }
}
