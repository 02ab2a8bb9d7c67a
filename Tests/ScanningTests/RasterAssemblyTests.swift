import Testing
@testable import Scanning

struct RasterAssemblyTests {
    @Test func sixteenBitSamplesKeepTheirHighByte() {
        let samples: [UInt16] = [0x0000, 0xFFFF, 0x80FF, 0x1234]
        let bytes = samples.withUnsafeBytes { Array($0) }
        let out = RasterAssembly.reduce16To8(bytes, bytesPerLine: 4, lines: 2)
        #expect(out.bytesPerLine == 2)
        #expect(out.pixels == [0x00, 0xFF, 0x80, 0x12])
    }

    @Test func threePlanesInterleaveIntoRGB() {
        let rgb = RasterAssembly.interleave(red: [1, 2, 0, 3, 4, 0], green: [5, 6, 0, 7, 8, 0], blue: [9, 10, 0, 11, 12, 0],
                                            planeBytesPerLine: 3, width: 2, lines: 2)
        #expect(rgb == [1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12])
    }
}
