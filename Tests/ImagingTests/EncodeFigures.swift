import Foundation
import Testing
@testable import Imaging

/// Prints encode time and size for the two typical pages. Reports only; never asserts timings.
@Suite struct EncodeFigures {
    @Test func reportEncodeTimeAndSizeForA4Pages() throws {
        var colour = Canvas(width: 2480, height: 3508, space: .rgb)
        colour.gradient()
        for line in 0..<40 { colour.textLine(y: 300 + line * 70, fromX: 250, toX: 2230, seed: UInt64(line)) }
        var lineart = Canvas(width: 2480, height: 3508, space: .bilevel)
        for line in 0..<40 { lineart.textLine(y: 300 + line * 70, fromX: 250, toX: 2230, seed: UInt64(line)) }

        for (name, raster) in [("A4 300 dpi colour (JPEG q80)", colour.raster), ("A4 300 dpi lineart (G4)", lineart.raster)] {
            let clock = ContinuousClock()
            var page: EncodedPage?
            let elapsed = try clock.measure { page = try PageEncoder.encode(raster) }
            let size = page?.data.count ?? 0
            print("[figures] \(name): \(elapsed) for \(raster.pixels.count) raw bytes → \(size) bytes (\(raster.pixels.count / max(size, 1)):1)")
            #expect(size > 0)
        }
    }
}
