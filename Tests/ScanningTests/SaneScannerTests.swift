import Foundation
import Testing
@testable import Scanning

private let feeder = ScanSettings(source: .adf, mode: .gray, resolution: 25, pageWidthMM: 40, pageHeightMM: 50)

/// Pixels SANE should deliver for `mm` at `dpi` (the test backend truncates; allow one pixel either way).
private func expectedPixels(_ mm: Double, _ dpi: Double) -> ClosedRange<Int> {
    let exact = Int(mm / 25.4 * dpi)
    return (exact - 1)...(exact + 1)
}

/// Real libsane through the `test` and `pnm` backends. Serialized: a test device can be open only once.
@Suite(.serialized)
struct SaneScannerTests {
    // MARK: - Devices and options

    @Test func devicesListTheTestAndPnmBackends() throws {
        let names = try SaneFixture.runtime.devices().map(\.name)
        #expect(names.contains("test:0"))
        #expect(names.contains("pnm:0"))
        #expect(!names.contains { !$0.hasPrefix("test:") && !$0.hasPrefix("pnm:") })
    }

    @Test func findLocatesADeviceByExactNameOrByVendorAndModelAfterANameChange() throws {
        let test0 = try #require(try SaneFixture.runtime.find(vendor: nil, model: nil, name: "test:0"))
        #expect(test0.name == "test:0")
        let replugged = try SaneFixture.runtime.find(vendor: test0.vendor, model: test0.model, name: "test:7")
        #expect(replugged?.name.hasPrefix("test:") == true)
        #expect(try SaneFixture.runtime.find(vendor: "Nobody", model: "Nothing", name: "gone:1") == nil)
    }

    @Test func openingAnUnknownDeviceIsNoDevice() {
        #expect(throws: ScanError.self) { try SaneFixture.open("nosuchbackend:0") }
        do { _ = try SaneFixture.open("nosuchbackend:0") } catch let e as ScanError {
            #expect(e.code == .noDevice)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func optionsCarryTypesUnitsConstraintsAndCurrentValues() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        let options = try scanner.options()
        var byName: [String: ScanOption] = [:]
        for option in options { byName[option.name] = option }

        let resolution = try #require(byName["resolution"])
        #expect(resolution.unit == .dpi)
        #expect(resolution.constraint == .range(min: 1, max: 1200, quant: 1))
        #expect(resolution.isSettable && resolution.isActive)
        #expect(resolution.value != nil)

        let mode = try #require(byName["mode"])
        #expect(mode.type == .string)
        #expect(mode.constraint == .stringList(values: ["Gray", "Color"]))
        #expect(mode.value == .string("Gray"))

        let depth = try #require(byName["depth"])
        #expect(depth.type == .int)
        #expect(depth.constraint == .wordList(values: [1, 8, 16]))

        let brx = try #require(byName["br-x"])
        #expect(brx.unit == .mm)
        #expect(brx.type == .fixed)
        #expect(brx.value == .fixed(80))

        #expect(byName["source"]?.constraint == .stringList(values: ["Flatbed", "Automatic Document Feeder"]))
        #expect(byName["three-pass"]?.isActive == false)
        #expect(byName["hand-scanner"]?.type == .bool)
        #expect(!options.contains { $0.type == .group })

        let json = try JSONEncoder().encode(options)
        let back = try JSONDecoder().decode([ScanOption].self, from: json)
        #expect(back == options)
    }

    // MARK: - Setting options

    @Test func resolutionOutsideTheRangeIsRefusedNamingOptionAndRange() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        let error = try #require(throws: ScanError.self) { try scanner.setOption("resolution", to: .int(5000)) }
        #expect(error.code == .invalidOption)
        #expect(error.detail.contains("'resolution'"))
        #expect(error.detail.contains("1..1200 dpi"))
        #expect(error.detail.contains("5000"))
        #expect(!error.message.isEmpty && !error.message.contains("resolution"))
        // Nothing was set.
        let value = try scanner.options().first { $0.name == "resolution" }?.value
        #expect(value != .fixed(5000) && value != .int(5000))
    }

    @Test func modeOutsideTheListIsRefusedListingTheAllowedModes() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        let error = try #require(throws: ScanError.self) { try scanner.setOption("mode", to: .string("Lineart")) }
        #expect(error.code == .invalidOption)
        #expect(error.detail.contains("'mode'"))
        #expect(error.detail.contains("\"Gray\", \"Color\""))
    }

    @Test func settingAValidOptionChangesTheDevice() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.setOption("mode", to: .string("Color"))
        try scanner.setOption("resolution", to: .int(150))
        try scanner.setOption("br-y", to: .fixed(42))
        let byName = try currentValues(scanner)
        #expect(byName["mode"] == .string("Color"))
        #expect(byName["resolution"] == .fixed(150))
        #expect(byName["br-y"] == .fixed(42))
    }

    @Test func unknownInactiveAndWronglyTypedOptionsAreRefused() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        #expect(throws: ScanError.self) { try scanner.setOption("no-such-option", to: .int(1)) }
        let inactive = try #require(throws: ScanError.self) { try scanner.setOption("three-pass", to: .bool(true)) }
        #expect(inactive.detail.contains("not active"))
        let wrongType = try #require(throws: ScanError.self) { try scanner.setOption("mode", to: .int(3)) }
        #expect(wrongType.code == .invalidOption)
    }

    // MARK: - Profiles

    @Test func applyMapsLogicalSourceAndLineartToTheTestBackendsNames() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .adf, mode: .lineart, resolution: 200, pageWidthMM: 100, pageHeightMM: 150))
        var byName = try currentValues(scanner)
        #expect(byName["source"] == .string("Automatic Document Feeder"))
        #expect(byName["mode"] == .string("Gray"))
        #expect(byName["depth"] == .int(1))
        #expect(byName["br-x"] == .fixed(100))
        #expect(byName["br-y"] == .fixed(150))
        #expect(byName["tl-x"] == .fixed(0))

        try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, extraOptions: ["test-picture": "Grid"]))
        byName = try currentValues(scanner)
        #expect(byName["source"] == .string("Flatbed"))
        #expect(byName["depth"] == .int(8))
        #expect(byName["test-picture"] == .string("Grid"))
    }

    @Test func validateReportsEveryProblemOfABadProfileWithoutSettingAnything() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        let before = try scanner.options()
        let bad = ScanSettings(
            source: .adfDuplex, mode: .color, resolution: 5000, pageWidthMM: 297, pageHeightMM: 420,
            extraOptions: ["no-such-option": "1", "depth": "12", "hand-scanner": "maybe", "test-picture": "Grid"])
        let problems = scanner.validate(bad)
        #expect(problems.count == 7, "\(problems.map(\.detail))")
        #expect(problems.contains { $0.code == .unsupported && $0.detail.contains("ADF Duplex") })
        #expect(problems.contains { $0.detail.contains("resolution") && $0.detail.contains("1..1200") })
        #expect(problems.contains { $0.detail.contains("page width 297 mm") && $0.detail.contains("0..200 mm") })
        #expect(problems.contains { $0.detail.contains("page height 420 mm") })
        #expect(problems.contains { $0.detail.contains("no-such-option") })
        #expect(problems.contains { $0.detail.contains("'depth'") && $0.detail.contains("1, 8, 16") })
        #expect(problems.contains { $0.detail.contains("'hand-scanner'") && $0.detail.contains("maybe") })
        #expect(try scanner.options() == before)

        #expect(scanner.validate(ScanSettings(source: .adf, mode: .lineart, resolution: 300, pageWidthMM: 200)) == [])
    }

    // MARK: - Scanning

    @Test(arguments: [(ScanMode.color, 3, 8), (.gray, 1, 8), (.lineart, 1, 1)])
    func feederBatchYieldsEveryPageWithTheRightGeometry(mode: ScanMode, channels: Int, depth: Int) throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        var settings = feeder
        settings.mode = mode
        try scanner.apply(settings)
        var pages: [Page] = []
        let count = try scanner.scan(shouldStop: { false }) { pages.append($0) }
        #expect(count == 10)  // the test backend's feeder holds 10 sheets
        #expect(pages.map(\.index) == Array(1...10))
        for page in pages {
            #expect(expectedPixels(40, 25).contains(page.width))
            #expect(expectedPixels(50, 25).contains(page.height))
            #expect(page.channels == channels)
            #expect(page.depth == depth)
            #expect(page.resolution == 25)
            #expect(page.bytesPerLine == (depth == 1 ? (page.width + 7) / 8 : page.width * channels))
            #expect(page.pixels.count == page.bytesPerLine * page.height)
            // Default picture is solid black: 0 in gray/colour, every bit set in lineart.
            #expect(page.pixels.allSatisfy { $0 == (depth == 1 ? 0xFF : 0) })
        }
    }

    @Test func flatbedScansExactlyOnePage() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, resolution: 30, extraOptions: ["test-picture": "Solid white"]))
        var pages: [Page] = []
        #expect(try scanner.scan(shouldStop: { false }) { pages.append($0) } == 1)
        #expect(pages.first?.pixels.allSatisfy { $0 == 255 } == true)
    }

    @Test(arguments: [1, 3])
    func shouldStopEndsTheBatchAfterThePageInHand(stopAfter: Int) throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(feeder)
        var delivered = 0
        var asked = 0
        let count = try scanner.scan(shouldStop: { asked += 1; return delivered >= stopAfter }) { _ in delivered += 1 }
        #expect(count == stopAfter)
        #expect(delivered == stopAfter)
        #expect(asked == stopAfter)
    }

    @Test(arguments: [
        ("SANE_STATUS_JAMMED", ScanError.Code.jammed, "Paper jam"),
        ("SANE_STATUS_COVER_OPEN", .coverOpen, "cover is open"),
        ("SANE_STATUS_NO_DOCS", .noDocuments, "feeder is empty"),
        ("SANE_STATUS_DEVICE_BUSY", .deviceBusy, "busy"),
        ("SANE_STATUS_IO_ERROR", .ioError, "stopped responding"),
        ("SANE_STATUS_NO_MEM", .outOfMemory, "out of memory"),
        ("SANE_STATUS_ACCESS_DENIED", .accessDenied, "not allowed"),
        ("SANE_STATUS_CANCELLED", .cancelled, "cancelled"),
    ])
    func aFailingReadBecomesATypedErrorWithAClerkMessage(status: String, code: ScanError.Code, words: String) throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        var settings = feeder
        settings.extraOptions = ["read-return-value": status]
        try scanner.apply(settings)
        var pages = 0
        let error = try #require(throws: ScanError.self) { try scanner.scan(shouldStop: { false }) { _ in pages += 1 } }
        #expect(error.code == code)
        #expect(error.message.contains(words))
        #expect(error.detail.contains(status))
        #expect(error.detail.contains("test:0"))
        #expect(pages == 0)
    }

    @Test func paddedLinesKeepTheDevicesBytesPerLine() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, resolution: 30, extraOptions: ["ppl-loss": "5"]))
        var page: Page?
        _ = try scanner.scan(shouldStop: { false }) { page = $0 }
        let p = try #require(page)
        #expect(p.bytesPerLine == p.width + 5)
        #expect(p.pixels.count == p.bytesPerLine * p.height)
    }

    /// Long tier: ten A4-ish colour pages at 300 dpi; prints the throughput.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["INTAKE_LONG_TESTS"] == "1"))
    func feederBatchAt300DpiColourMeasuresThroughput() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .adf, mode: .color, resolution: 300, pageWidthMM: 200, pageHeightMM: 200,
                                       extraOptions: ["test-picture": "Color pattern"]))
        var bytes = 0
        let start = ContinuousClock.now
        let count = try scanner.scan(shouldStop: { false }) { bytes += $0.pixels.count }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print("feeder 10 × 300 dpi colour 200×200 mm: \(count) pages, \(bytes / 1_000_000) MB in \(seconds) s = \(Double(bytes) / 1e6 / seconds) MB/s")
        #expect(count == 10)
        #expect(bytes > 0)
    }

    @Test func aPageThatEndsBeforeItsFirstLineIsAnIOError() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, extraOptions: ["read-return-value": "SANE_STATUS_EOF"]))
        let error = try #require(throws: ScanError.self) { try scanner.scan(shouldStop: { false }) { _ in } }
        #expect(error.code == .ioError)
        #expect(error.detail.contains("after 0 bytes"))
    }

    @Test func aJamAfterTwoPagesKeepsTheDeliveredPagesAndReportsTheJam() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(feeder)
        var delivered: [Int] = []
        let error = try #require(throws: ScanError.self) {
            try scanner.scan(shouldStop: { false }) { page in
                delivered.append(page.index)
                if page.index == 2 { try scanner.setOption("read-return-value", to: .string("SANE_STATUS_JAMMED")) }
            }
        }
        #expect(error.code == .jammed)
        #expect(delivered == [1, 2])
    }

    @Test func sixteenBitScansAreReducedToEightBits() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, mode: .color, resolution: 20,
                                       extraOptions: ["depth": "16", "test-picture": "Solid white"]))
        var page: Page?
        _ = try scanner.scan(shouldStop: { false }) { page = $0 }
        let p = try #require(page)
        #expect(p.depth == 8 && p.channels == 3)
        #expect(p.bytesPerLine == p.width * 3)
        #expect(p.pixels.count == p.bytesPerLine * p.height)
        #expect(p.pixels.allSatisfy { $0 == 255 })
    }

    @Test func threePassAndHandScannerFramesBecomeOneRGBPage() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.apply(ScanSettings(source: .flatbed, mode: .color, resolution: 20,
                                       extraOptions: ["three-pass": "yes", "hand-scanner": "yes", "test-picture": "Solid white"]))
        var page: Page?
        #expect(try scanner.scan(shouldStop: { false }) { page = $0 } == 1)
        let p = try #require(page)
        #expect(p.channels == 3 && p.depth == 8)
        #expect(p.height > 0)
        #expect(p.pixels.count == p.width * 3 * p.height)
        #expect(p.pixels.allSatisfy { $0 == 255 })
    }

    @Test func pressedButtonsIsEmptyWhenNoButtonIsDown() throws {
        let scanner = try SaneFixture.openTestDevice()
        defer { scanner.close() }
        try scanner.setOption("enable-test-options", to: .bool(true))
        let hard = try scanner.options().filter { $0.isHardwareSelected }
        #expect(!hard.isEmpty)
        #expect(try scanner.pressedButtons().isEmpty)
    }

    // MARK: - pnm: real page images

    @Test(arguments: [(1, false), (3, false), (3, true)])
    func pnmPageRoundTripsTheDocumentImage(channels: Int, threePass: Bool) throws {
        let image = DocumentImage.letter(width: 413, height: 584, channels: channels, seed: 7)
        let path = try image.write(named: "letter-\(channels)-\(threePass).pnm")
        let scanner = try SaneFixture.open("pnm:0")
        defer { scanner.close() }
        try scanner.apply(ScanSettings(resolution: 150, extraOptions: ["filename": path, "three-pass": threePass ? "yes" : "no", "hand-scanner": "no"]))
        var pages: [Page] = []
        #expect(try scanner.scan(shouldStop: { false }) { pages.append($0) } == 1)
        let page = try #require(pages.first)
        #expect(page.width == image.width && page.height == image.height)
        #expect(page.channels == channels && page.depth == 8)
        #expect(page.resolution == 150)
        #expect(page.pixels == image.pixels)
        #expect(image.pixels.contains { $0 < 64 })  // the image really has ink
    }

    @Test func pnmBlankPageWithUnknownHeightIsReadWhole() throws {
        let image = DocumentImage.blank(width: 300, height: 420)
        let path = try image.write(named: "blank.pgm")
        let scanner = try SaneFixture.open("pnm:0")
        defer { scanner.close() }
        try scanner.apply(ScanSettings(extraOptions: ["filename": path, "hand-scanner": "yes", "three-pass": "no"]))
        var pages: [Page] = []
        _ = try scanner.scan(shouldStop: { false }) { pages.append($0) }
        #expect(pages.first?.height == 420)
        #expect(pages.first?.pixels == image.pixels)
    }
}

@Suite(.serialized) struct ProfileIsolationTests {
    @Test func oneProfilesDeviceOptionsDoNotLeakIntoTheNext() throws {
        // test:1, so this suite never shares a device with the serialized suites using test:0.
        let scanner = try SaneFixture.runtime.open("test:1")
        defer { scanner.close() }
        var jam = ScanSettings(source: .adf, mode: .gray, resolution: 50)
        jam.extraOptions = ["read-return-value": "SANE_STATUS_JAMMED"]
        try scanner.apply(jam)
        #expect(throws: ScanError.self) { _ = try scanner.scan(shouldStop: { false }) { _ in } }
        // The next profile does not mention read-return-value: it must scan normally.
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 50))
        var pages = 0
        _ = try scanner.scan(shouldStop: { false }) { _ in pages += 1 }
        #expect(pages >= 9, "a normal batch (the jammed attempt used one sheet of the feeder)")
    }
}
