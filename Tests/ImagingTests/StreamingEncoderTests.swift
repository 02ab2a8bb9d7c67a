import Testing
@testable import Imaging

/// Pages encoded from strips as they would arrive from `sane_read`, against the whole-raster path.
@Suite struct StreamingEncoderTests {
    /// A letter-like page (text lines, a seal-ish block, specks) in each colour space.
    static func letter(_ space: ColorSpace, width: Int = 827, height: Int = 1169, lines: Int = 12) -> Raster {
        var canvas = Canvas(width: width, height: height, space: space, dpi: 100, padding: space == .gray ? 3 : 0)
        canvas.specks(count: 300)
        for line in 0..<lines { canvas.textLine(y: 120 + line * 70, fromX: 80, toX: width - 80, seed: UInt64(line)) }
        canvas.fill(x: width / 2, y: height - 260, width: 120, height: 120, level: 90)
        return canvas.raster
    }

    /// Hands the raster's rows out `rowsPerStrip` at a time, each strip in its own buffer that is
    /// freed when the next one is asked for (as the scanner's strips are).
    static func strips(of raster: Raster, rowsPerStrip: Int) -> () throws -> UnsafeRawBufferPointer? {
        var row = 0
        var current: UnsafeMutableRawBufferPointer?
        return {
            current?.deallocate()
            current = nil
            guard row < raster.height else { return nil }
            let rows = min(rowsPerStrip, raster.height - row)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * raster.bytesPerRow, alignment: 16)
            raster.pixels.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(row * raster.bytesPerRow)..<((row + rows) * raster.bytesPerRow)]))
            }
            row += rows
            current = buffer
            return UnsafeRawBufferPointer(buffer)
        }
    }

    @Test(arguments: [ColorSpace.rgb, .gray], [HuffmanTables.standard, .optimised, .trained])
    func streamedJPEGIsByteIdenticalToTheWholeRasterWithTheSameTables(space: ColorSpace, tables: HuffmanTables) throws {
        let raster = Self.letter(space)
        let whole = try PageEncoder.encode(raster, jpegQuality: 80, tables: tables)
        for rowsPerStrip in [1, 7, 32, 5000] {
            let layout = try #require(PageLayout(raster))
            let streamed = try PageEncoder.encode(layout, jpegQuality: 80, tables: tables, next: Self.strips(of: raster, rowsPerStrip: rowsPerStrip))
            #expect(streamed.data == whole.data, "\(rowsPerStrip) rows per strip")
        }
    }

    @Test func streamedG4IsByteIdenticalAndLossless() throws {
        let raster = Self.letter(.bilevel)
        let whole = try PageEncoder.encode(raster)
        let layout = try #require(PageLayout(raster))
        let streamed = try PageEncoder.encode(layout, next: Self.strips(of: raster, rowsPerStrip: 13))
        #expect(streamed.data == whole.data)
        let decoded = try G4Codec.decode(streamed.data, width: raster.width, height: raster.height)
        #expect(sameBilevelPixels(raster, raster.bytesPerRow, decoded, raster.bytesPerRow))
    }

    @Test(arguments: [ColorSpace.rgb, .bilevel])
    func aPageThatEndsBeforeItsLastRowIsATypedError(space: ColorSpace) throws {
        let raster = Self.letter(space)
        var short = raster
        short.height -= 10
        let layout = try #require(PageLayout(raster))
        let error = try #require(throws: ImagingError.self) {
            try PageEncoder.encode(layout, next: Self.strips(of: short, rowsPerStrip: 32))
        }
        #expect(error.code == .invalidRaster)
        #expect(error.detail.contains("of \(raster.height) rows"))
    }

    struct Jam: Error {}

    @Test(arguments: [ColorSpace.gray, .bilevel])
    func anErrorFromTheRowSourceIsRethrownUnchanged(space: ColorSpace) throws {
        let raster = Self.letter(space)
        let layout = try #require(PageLayout(raster))
        let source = Self.strips(of: raster, rowsPerStrip: 32)
        var calls = 0
        #expect(throws: Jam.self) {
            try PageEncoder.encode(layout) {
                calls += 1
                if calls == 5 { throw Jam() }
                return try source()
            }
        }
    }

    /// The eval-like pages: letters, a near-blank back with specks and feeder shadow, a page with
    /// one line, a coloured form; counted in strips they give exactly the whole-page coverage.
    @Test(arguments: [ColorSpace.bilevel, .gray, .rgb])
    func blankDecisionsFromStreamedStatisticsEqualTheWholePageDetector(space: ColorSpace) throws {
        var nearBlank = Canvas(width: 1240, height: 1754, space: space, dpi: 150)
        nearBlank.specks(count: 400)
        nearBlank.fill(x: 0, y: 0, width: 1240, height: 20)
        var oneLine = Canvas(width: 1240, height: 1754, space: space, dpi: 150)
        oneLine.specks(count: 400)
        oneLine.textLine(y: 900, fromX: 150, toX: 1090)
        var pages = [Self.letter(space), nearBlank.raster, oneLine.raster]
        if space != .bilevel {  // a coloured form: a gradient under the whole page
            var form = Canvas(width: 1240, height: 1754, space: space, dpi: 150)
            form.gradient()
            pages.append(form.raster)
        }
        let detector = BlankPageDetector()
        var decisions: [Bool] = []
        for raster in pages {
            let layout = try #require(PageLayout(raster))
            for rowsPerStrip in [1, 32, 333] {
                var statistics = BlankPageStatistics(detector: detector, layout: layout)
                let next = Self.strips(of: raster, rowsPerStrip: rowsPerStrip)
                var row = 0
                while let strip = try next() {
                    statistics.add(strip, firstRow: row)
                    row += strip.count / raster.bytesPerRow
                }
                #expect(statistics.inkCoverage == detector.inkCoverage(raster))
                #expect(statistics.isBlank == detector.isBlank(raster))
            }
            decisions.append(detector.isBlank(raster))
        }
        #expect(decisions == [false, true, false] + (space == .bilevel ? [] : [false]))
    }
}
