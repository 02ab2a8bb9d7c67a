import Foundation
import Testing
@testable import Scanning

/// Streamed pages from the real test backend (same serialized suite: one open test device at a time).
extension SaneScannerTests {
    @Test(arguments: [ScanMode.color, .gray, .lineart])
    func streamedPagesHaveTheSameRowsAsWholePagesInStripsInOrder(mode: ScanMode) throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        let settings = ScanSettings(source: .adf, mode: mode, resolution: 75, pageWidthMM: 60, pageHeightMM: 80,
                                    extraOptions: ["test-picture": "Color pattern"])
        try scanner.apply(settings)
        var whole: [Page] = []
        _ = try scanner.scan(shouldStop: { false }) { whole.append($0) }
        try scanner.apply(settings)
        var streamed: [(PageFormat, [UInt8])] = []
        let count = try scanner.scanStreaming(capacityBytes: 64 * 1024, shouldStop: { false }) { strips in
            var bytes: [UInt8] = []
            var nextRow = 0
            while let strip = try strips.next() {
                #expect(strip.firstRow == nextRow)
                #expect(strip.rows <= PageStrips.rowsPerStrip)
                nextRow += strip.rows
                bytes.append(contentsOf: strip.bytes)
            }
            #expect(nextRow == strips.format.height)
            // The moment the device delivered the last row is kept, and it is in the past.
            let lastRow = try #require(strips.lastRowAt)
            #expect(lastRow <= ContinuousClock.now)
            streamed.append((strips.format, bytes))
        }
        #expect(count == 10)
        #expect(streamed.count == whole.count)
        for (page, (format, bytes)) in zip(whole, streamed) {
            #expect(format.index == page.index && format.width == page.width && format.height == page.height)
            #expect(format.depth == page.depth && format.channels == page.channels && format.bytesPerLine == page.bytesPerLine)
            #expect(bytes == page.pixels)
        }
    }

    @Test func aJamInTheMiddleOfAStreamedPageIsThrownByItsStripsAndByTheScan() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 25, pageWidthMM: 40, pageHeightMM: 50))
        var delivered: [Int] = []
        var thrownByStrips: ScanError?
        let error = try #require(throws: ScanError.self) {
            try scanner.scanStreaming(capacityBytes: 1 << 20, shouldStop: { false }) { strips in
                do {
                    while try strips.next() != nil {}
                } catch let jam as ScanError {
                    thrownByStrips = jam
                    throw jam
                }
                delivered.append(strips.format.index)
                if strips.format.index == 2 { try scanner.setOption("read-return-value", to: .string("SANE_STATUS_JAMMED")) }
            }
        }
        #expect(error.code == .jammed)
        #expect(thrownByStrips?.code == .jammed)
        #expect(delivered == [1, 2])
    }

    @Test func theReaderHoldsNoMoreThanItsQueueAheadOfASlowConsumer() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, mode: .color, resolution: 150, pageWidthMM: 100, pageHeightMM: 100))
        var largestQueue = 0
        var height = 0
        _ = try scanner.scanStreaming(capacityBytes: 3 * 32 * 1771, shouldStop: { false }) { strips in
            height = strips.format.height
            while true {
                Thread.sleep(forTimeInterval: 0.002)  // the encoder is slower than the device
                largestQueue = max(largestQueue, strips.queuedByteCount)
                guard try strips.next() != nil else { break }
            }
        }
        #expect(height > 500)
        #expect(largestQueue > 0)
        #expect(largestQueue <= 3 * 32 * 1771)
    }
}
