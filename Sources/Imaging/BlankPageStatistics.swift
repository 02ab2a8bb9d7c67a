/// Ink counted strip by strip as a page streams in, with the same rules as `BlankPageDetector`
/// (which counts a whole raster through this same code, so both give the same decision).
public struct BlankPageStatistics: Sendable {
    public let detector: BlankPageDetector
    public let layout: PageLayout
    private let x0: Int, x1: Int, y0: Int, y1: Int
    /// Ink pixels counted so far.
    public private(set) var inkPixels = 0

    public init(detector: BlankPageDetector, layout: PageLayout) {
        self.detector = detector
        self.layout = layout
        let margin = min(max(detector.marginFraction, 0), 0.49)
        x0 = Int((Double(layout.width) * margin).rounded())
        x1 = layout.width - x0
        y0 = Int((Double(layout.height) * margin).rounded())
        y1 = layout.height - y0
    }

    /// Counts the rows of one strip: `bytes` holds whole rows of `layout.bytesPerRow` starting at `firstRow`.
    public mutating func add(_ bytes: UnsafeRawBufferPointer, firstRow: Int) {
        guard x1 > x0, layout.bytesPerRow > 0 else { return }
        let rows = min(layout.height - firstRow, (bytes.count + layout.bytesPerRow - 1) / layout.bytesPerRow)
        let from = max(y0, firstRow), to = min(y1, firstRow + rows)
        guard from < to else { return }
        let p = bytes.assumingMemoryBound(to: UInt8.self)
        let local = (from - firstRow)..<(to - firstRow)
        switch layout.colorSpace {
        case .bilevel: inkPixels += countBilevel(p, local)
        case .gray: inkPixels += countGray(p, local)
        case .rgb: inkPixels += countRGB(p, local)
        }
    }

    /// Fraction (0…1) of ink pixels inside the margins.
    public var inkCoverage: Double {
        guard x1 > x0, y1 > y0 else { return 0 }
        return Double(inkPixels) / Double((x1 - x0) * (y1 - y0))
    }

    public var isBlank: Bool { inkCoverage < detector.inkThreshold }

    // MARK: - Counting

    private func countBilevel(_ p: UnsafeBufferPointer<UInt8>, _ rows: Range<Int>) -> Int {
        // Whole bytes by popcount; the partial first and last bytes through masks (MSB = leftmost).
        let firstByte = x0 / 8, lastByte = (x1 - 1) / 8
        let firstMask = UInt8(0xFF) >> UInt8(x0 % 8)
        let lastMask = UInt8(0xFF) << UInt8(7 - (x1 - 1) % 8)
        var count = 0
        for y in rows {
            let row = y * layout.bytesPerRow
            if firstByte == lastByte {
                count += (p[row + firstByte] & firstMask & lastMask).nonzeroBitCount
                continue
            }
            count += (p[row + firstByte] & firstMask).nonzeroBitCount
            var b = firstByte + 1
            while b < lastByte {
                count += p[row + b].nonzeroBitCount
                b += 1
            }
            count += (p[row + lastByte] & lastMask).nonzeroBitCount
        }
        return count
    }

    private func countGray(_ p: UnsafeBufferPointer<UInt8>, _ rows: Range<Int>) -> Int {
        let level = detector.paperLevel
        var count = 0
        for y in rows {
            let row = y * layout.bytesPerRow
            for x in x0..<x1 where p[row + x] < level { count += 1 }
        }
        return count
    }

    private func countRGB(_ p: UnsafeBufferPointer<UInt8>, _ rows: Range<Int>) -> Int {
        let level = Int(detector.paperLevel)
        var count = 0
        for y in rows {
            var i = y * layout.bytesPerRow + x0 * 3
            for _ in x0..<x1 {
                // ITU-R BT.601 luma in 8.8 fixed point.
                let luma = (77 * Int(p[i]) + 150 * Int(p[i + 1]) + 29 * Int(p[i + 2])) >> 8
                if luma < level { count += 1 }
                i += 3
            }
        }
        return count
    }
}
