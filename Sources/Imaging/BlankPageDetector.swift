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
        guard (try? raster.validated()) != nil, let layout = PageLayout(raster) else { return 0 }
        var statistics = BlankPageStatistics(detector: self, layout: layout)
        raster.pixels.withUnsafeBytes { statistics.add($0, firstRow: 0) }
        return statistics.inkCoverage
    }
}
