/// Decides whether a scanned page is blank (e.g. the empty back of a duplex sheet).
///
/// The border (`marginFraction` of each side) is ignored, because edges carry shadows and
/// feeder marks. Inside it, a pixel is "ink" when it is set (bilevel) or darker than
/// `paperLevel` (gray; RGB by luma), so slightly tinted or recycled paper counts as paper.
/// The page is blank when the ink fraction is below `inkThreshold`.
///
/// The default threshold (0.1 %) sits between scanner noise and dust on a blank page
/// (typically < 0.02 %) and a single line of 12 pt text across an A4 page at 300 dpi (≈ 0.15 %).
public struct BlankPageDetector: Sendable {
    public var inkThreshold: Double
    public var marginFraction: Double
    /// Gray level (0 black … 255 white) at or above which a pixel is paper.
    public var paperLevel: UInt8

    public init(inkThreshold: Double = 0.001, marginFraction: Double = 0.03, paperLevel: UInt8 = 200) {
        self.inkThreshold = inkThreshold
        self.marginFraction = marginFraction
        self.paperLevel = paperLevel
    }

    public func isBlank(_ raster: Raster) -> Bool {
        inkCoverage(raster) < inkThreshold
    }

    /// Fraction (0…1) of ink pixels inside the margins. An unsupported or empty raster gives 0.
    public func inkCoverage(_ raster: Raster) -> Double {
        guard let space = raster.colorSpace, (try? raster.validated()) != nil else { return 0 }
        let margin = min(max(marginFraction, 0), 0.49)
        let x0 = Int((Double(raster.width) * margin).rounded())
        let x1 = raster.width - x0
        let y0 = Int((Double(raster.height) * margin).rounded())
        let y1 = raster.height - y0
        guard x1 > x0, y1 > y0 else { return 0 }
        let area = Double((x1 - x0) * (y1 - y0))
        let ink = raster.pixels.withUnsafeBufferPointer { p -> Int in
            switch space {
            case .bilevel: countBilevel(p, raster, x0, x1, y0, y1)
            case .gray: countGray(p, raster, x0, x1, y0, y1)
            case .rgb: countRGB(p, raster, x0, x1, y0, y1)
            }
        }
        return Double(ink) / area
    }

    // MARK: - Counting

    private func countBilevel(_ p: UnsafeBufferPointer<UInt8>, _ r: Raster, _ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) -> Int {
        // Whole bytes by popcount; the partial first and last bytes through masks (MSB = leftmost).
        let firstByte = x0 / 8, lastByte = (x1 - 1) / 8
        let firstMask = UInt8(0xFF) >> UInt8(x0 % 8)
        let lastMask = UInt8(0xFF) << UInt8(7 - (x1 - 1) % 8)
        var count = 0
        for y in y0..<y1 {
            let row = y * r.bytesPerRow
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

    private func countGray(_ p: UnsafeBufferPointer<UInt8>, _ r: Raster, _ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) -> Int {
        let level = paperLevel
        var count = 0
        for y in y0..<y1 {
            let row = y * r.bytesPerRow
            for x in x0..<x1 where p[row + x] < level { count += 1 }
        }
        return count
    }

    private func countRGB(_ p: UnsafeBufferPointer<UInt8>, _ r: Raster, _ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) -> Int {
        let level = Int(paperLevel)
        var count = 0
        for y in y0..<y1 {
            var i = y * r.bytesPerRow + x0 * 3
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
