import Testing
@testable import Imaging

@Suite struct BlankPageDetectorTests {
    /// A4 at 300 dpi (the appliance's usual page) in each colour space.
    static let spaces: [ColorSpace] = [.bilevel, .gray, .rgb]

    @Test(arguments: spaces)
    func blankPageWithSpecksOfNoiseIsBlank(space: ColorSpace) {
        var canvas = Canvas(width: 2480, height: 3508, space: space)
        canvas.specks(count: 800)
        canvas.fill(x: 0, y: 0, width: 2480, height: 40)   // feeder shadow in the top margin
        canvas.fill(x: 0, y: 0, width: 30, height: 3508)   // and along the left edge
        let detector = BlankPageDetector()
        #expect(detector.inkCoverage(canvas.raster) > 0)
        #expect(detector.isBlank(canvas.raster))
    }

    @Test(arguments: spaces)
    func pageWithOneLineOfTextIsNotBlank(space: ColorSpace) {
        var canvas = Canvas(width: 2480, height: 3508, space: space)
        canvas.specks(count: 800)
        canvas.textLine(y: 1700, fromX: 300, toX: 2180)
        #expect(!BlankPageDetector().isBlank(canvas.raster))
    }

    @Test func lightlyTintedPaperCountsAsPaper() {
        var canvas = Canvas(width: 600, height: 800, space: .gray, dpi: 100)
        canvas.fill(x: 0, y: 0, width: 600, height: 800, level: 225)  // recycled paper
        #expect(BlankPageDetector().inkCoverage(canvas.raster) == 0)
    }

    /// A 100×100 ink square inside the 3 % margins of a 1000×1000 page covers 100² / 940² ≈ 1.13 %.
    @Test(arguments: [
        (0.005, false),
        (0.0112, false),
        (0.0114, true),
        (0.05, true),
    ])
    func thresholdIsConfigurableAgainstMeasuredCoverage(threshold: Double, expectBlank: Bool) {
        for space in Self.spaces {
            var canvas = Canvas(width: 1000, height: 1000, space: space, dpi: 100)
            canvas.fill(x: 453, y: 450, width: 100, height: 100)
            let detector = BlankPageDetector(inkThreshold: threshold)
            #expect(abs(detector.inkCoverage(canvas.raster) - 10_000.0 / (940.0 * 940.0)) < 1e-9, "\(space)")
            #expect(detector.isBlank(canvas.raster) == expectBlank, "\(space)")
        }
    }

    @Test func inkInsideTheMarginIsIgnored() {
        var canvas = Canvas(width: 1000, height: 1000, space: .bilevel, dpi: 100)
        canvas.fill(x: 0, y: 0, width: 29, height: 1000)
        canvas.fill(x: 971, y: 0, width: 29, height: 1000)
        #expect(BlankPageDetector().inkCoverage(canvas.raster) == 0)
        canvas.fill(x: 30, y: 500, width: 1, height: 1)
        #expect(BlankPageDetector().inkCoverage(canvas.raster) > 0)
    }
}
