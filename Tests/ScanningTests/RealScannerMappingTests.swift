import Foundation
import Testing
@testable import Scanning

private let a4 = (width: 210.0, height: 297.0)
private let legal = (width: 215.9, height: 355.6)

/// Profiles mapped onto replayed descriptions of real scanners (Tests/ScanningTests/Devices).
struct RealScannerMappingTests {
    // MARK: - Every shipped description

    @Test func atLeastFifteenDescriptionsShipAndEveryOptionSaysWhereItCameFrom() throws {
        let files = DeviceDescriptions.files
        #expect(files.count >= 15)
        var backends = Set<String>()
        for file in files {
            let description = try DeviceDescriptions.load(file)
            #expect(description.format == DeviceDescription.formatName, "\(file)")
            #expect(!description.source.isEmpty, "\(file)")
            backends.insert(String(description.device.name.split(separator: ":").first ?? ""))
            for described in description.options {
                #expect(described.source?.isEmpty == false, "\(file): option \(described.option.name) has no source")
            }
            for rule in description.rules {
                #expect(description.options.contains { $0.option.name == rule.when }, "\(file): rule on unknown option \(rule.when)")
                #expect(rule.source?.isEmpty == false, "\(file): rule on \(rule.when) has no source")
            }
        }
        #expect(backends.count >= 15)
    }

    @Test(arguments: DeviceDescriptions.files, ScanMode.allCases)
    func everyDescriptionValidatesAndScansEachMode(file: String, mode: ScanMode) throws {
        let (scanner, _) = try DeviceDescriptions.open(file, withoutFailures: true)
        let description = try DeviceDescriptions.load(file)
        let feeder = DeviceDescriptions.hasFeeder(description)
        let dpi = DeviceDescriptions.resolution(near: 200, in: description)
        let settings = ScanSettings(source: feeder ? .adf : .flatbed, mode: mode, resolution: dpi,
                                    pageWidthMM: a4.width, pageHeightMM: a4.height)
        #expect(scanner.validate(settings) == [], "\(file) \(mode)")
        try scanner.apply(settings)
        let pages = try scanAll(scanner)
        #expect(pages.count == (feeder ? description.read.sheets : 1), "\(file) \(mode)")
        let page = try #require(pages.first)
        #expect(pixels(a4.width, dpi).contains(page.width), "\(file): width \(page.width) px at \(dpi) dpi")
        #expect(pixels(a4.height, dpi).contains(page.height), "\(file): height \(page.height) px at \(dpi) dpi")
        switch mode {
        case .lineart: #expect(page.depth == 1 && page.channels == 1, "\(file): lineart arrives as 1-bit")
        case .gray: #expect(page.depth == 8 && page.channels == 1, "\(file): gray is 8-bit, never dithered")
        case .color: #expect(page.channels == 3, "\(file)")
        }
    }

    // MARK: - Paper size before tl/br

    @Test(arguments: ["fujitsu-fi-7160.json", "canon_dr-dr-c225.json", "epjitsu-s1300i.json", "kodak-i1220.json"],
          [(210.0, 297.0), (215.9, 355.6)])
    func a4AndLegalRaiseThePageSizeBeforeTheScanArea(file: String, size: (Double, Double)) throws {
        let (scanner, device) = try DeviceDescriptions.open(file, withoutFailures: true)
        let settings = ScanSettings(source: .adf, mode: .gray, resolution: 300, pageWidthMM: size.0, pageHeightMM: size.1)
        // Before: br-y is capped by the default US Letter page height (279.4 mm).
        let brY = try #require(try scanner.options().first { $0.name == "br-y" })
        #expect(brY.problem(with: .fixed(size.1)) != nil || size.1 <= 279.4)
        #expect(scanner.validate(settings) == [])
        try scanner.apply(settings)
        let names = device.writes.map(\.name)
        let height = try #require(names.firstIndex { $0 == "page-height" || $0 == "pageheight" })
        let bottom = try #require(names.firstIndex(of: "br-y"))
        #expect(height < bottom)
        let values = try currentValues(scanner)
        // Letter-wide paper (Legal) already fits the default page width: that write is skipped.
        if let width = names.firstIndex(where: { $0 == "page-width" || $0 == "pagewidth" }) {
            #expect(width < (names.firstIndex(of: "br-x") ?? Int.max))
        } else {
            #expect(scanner.lastSkipped.contains { ($0.name == "page-width" || $0.name == "pagewidth") && $0.value == .fixed(size.0) })
        }
        #expect((values["page-width"] ?? values["pagewidth"]) == .fixed(size.0))
        #expect(values["br-y"] == .fixed(size.1))
        #expect(values["br-x"] == .fixed(size.0))
        let pages = try scanAll(scanner)
        #expect(pixels(size.1, 300).contains(pages[0].height))
        #expect(pixels(size.0, 300).contains(pages[0].width))
    }

    @Test func panasonicGetsUserDefinedPaperSizeBeforeTheScanArea() throws {
        for file in ["kvs1025-kv-s1025c.json", "kvs20xx-kv-s2026c.json", "kvs40xx-kv-s4065cw.json"] {
            let (scanner, device) = try DeviceDescriptions.open(file, withoutFailures: true)
            #expect(try scanner.options().first { $0.name == "br-y" }?.isActive == false)
            try scanner.apply(ScanSettings(source: .adf, mode: .lineart, resolution: 300, pageWidthMM: legal.width, pageHeightMM: legal.height))
            let names = device.writes.map(\.name)
            let paper = try #require(names.firstIndex(of: "paper-size"), "\(file)")
            #expect(device.writes[paper].value == .string("user_def"))
            #expect(paper < (names.firstIndex(of: "br-y") ?? -1), "\(file)")
            #expect(try currentValues(scanner)["br-y"] == .fixed(legal.height), "\(file)")
        }
    }

    // MARK: - Duplex switches

    @Test(arguments: ["fujitsu-fi-7160.json", "kvs20xx-kv-s2026c.json", "kvs1025-kv-s1025c.json", "epsonds-ds-530.json",
                      "hpaio-laserjet-m426.json", "brother-brscan4-mfc-l2700dw.json", "airscan-brother-mfc-l2750dw.json"])
    func simplexAfterDuplexScansOneSidePerSheet(file: String) throws {
        let (scanner, device) = try DeviceDescriptions.open(file, withoutFailures: true)
        device.load(sheets: 2)
        try scanner.apply(ScanSettings(source: .adfDuplex, mode: .gray, resolution: 300))
        #expect(try scanAll(scanner).count == 4, "\(file): duplex gives both sides")
        device.load(sheets: 2)
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        #expect(try scanAll(scanner).count == 2, "\(file): the next simplex profile scans one side")
        let values = try currentValues(scanner)
        if values["duplex"] != nil { #expect(values["duplex"] == .bool(false)) }
        if let mode = values["adf-mode"] { #expect(mode == .string("Simplex")) }
    }

    // MARK: - Mode names

    @Test func airscanLineartIsHalftone() throws {
        let (scanner, _) = try DeviceDescriptions.open("airscan-brother-mfc-l2750dw.json")
        try scanner.apply(ScanSettings(source: .flatbed, mode: .lineart, resolution: 300))
        #expect(try currentValues(scanner)["mode"] == .string("Halftone"))
        #expect(try scanAll(scanner).first?.depth == 1)
    }

    @Test func brotherGrayIsTrueGrayAndItsFeederTheCentredOne() throws {
        let (scanner, _) = try DeviceDescriptions.open("brother-brscan4-mfc-l2700dw.json")
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        let values = try currentValues(scanner)
        #expect(values["mode"] == .string("True Gray"))
        #expect(values["source"] == .string("Automatic Document Feeder(centrally aligned)"))
        try scanner.apply(ScanSettings(source: .adf, mode: .lineart, resolution: 300))
        #expect(try currentValues(scanner)["mode"] == .string("Black & White"))
        try scanner.apply(ScanSettings(source: .adfDuplex, mode: .color, resolution: 300))
        #expect(try currentValues(scanner)["source"] == .string("Automatic Document Feeder(centrally aligned,Duplex)"))
        #expect(try currentValues(scanner)["mode"] == .string("24bit Color"))
    }

    @Test func panasonicLineartIsBwAndItsReadOnlyFeederScansTheWholeStack() throws {
        let (scanner, device) = try DeviceDescriptions.open("kvs1025-kv-s1025c.json", withoutFailures: true)
        try scanner.apply(ScanSettings(source: .adf, mode: .lineart, resolution: 300))
        #expect(try currentValues(scanner)["mode"] == .string("bw"))
        #expect(!device.writes.contains { $0.name == "source" })
        #expect(try scanAll(scanner).count == 3)
    }

    @Test func aFeederWithoutASourceOptionScansUntilItIsEmpty() throws {
        let (scanner, _) = try DeviceDescriptions.open("kvs20xx-kv-s2026c.json", withoutFailures: true)
        #expect(try scanner.options().contains { $0.name == "source" } == false)
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        #expect(try scanAll(scanner).count == 3)
        #expect(scanner.validate(ScanSettings(source: .flatbed)).map(\.code) == [.unsupported])
    }

    @Test(arguments: ["epson2-perfection-v39.json", "kodakaio-esp5250.json", "plustek-lide25.json"])
    func flatbedProfilesWorkWhereSourceIsInactive(file: String) throws {
        let (scanner, device) = try DeviceDescriptions.open(file)
        #expect(try scanner.options().first { $0.name == "source" }?.isActive == false)
        let settings = ScanSettings(source: .flatbed, mode: .gray, resolution: 300)
        #expect(scanner.validate(settings) == [])
        try scanner.apply(settings)
        #expect(!device.writes.contains { $0.name == "source" })
        #expect(try scanAll(scanner).count == 1)
        // Without a feeder, an ADF profile is refused (its switches are inactive too).
        #expect(scanner.validate(ScanSettings(source: .adf)).map(\.code) == [.unsupported])
    }

    @Test func aFlatbedOnlyDeviceScansWithoutASourceAndRefusesTheFeeder() throws {
        var description = try DeviceDescriptions.load("genesys-lide120.json")
        description.options.removeAll { $0.option.name == "source" }
        let flatbedOnly = ReplayDevice.open(description)
        #expect(flatbedOnly.validate(ScanSettings(mode: .gray, resolution: 300)) == [])
        #expect(flatbedOnly.validate(ScanSettings(source: .flatbed, mode: .gray, resolution: 300)) == [])
        let refused = flatbedOnly.validate(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        #expect(refused.map(\.code) == [.unsupported])
        #expect(refused.first?.detail.contains("flatbed only") == true)
        #expect(flatbedOnly.validate(ScanSettings(source: .adfDuplex)).map(\.code) == [.unsupported])
        try flatbedOnly.apply(ScanSettings(mode: .gray, resolution: 300))
        #expect(try scanAll(flatbedOnly).count == 1)
    }

    @Test func lineartWithoutALineartModeOrOneBitDepthIsThresholdedInSoftware() throws {
        let (scanner, _) = try DeviceDescriptions.open("genesys-lide120.json")
        try scanner.apply(ScanSettings(source: .flatbed, mode: .lineart, resolution: 300))
        #expect(scanner.thresholdInSoftware)
        #expect(try currentValues(scanner)["mode"] == .string("Gray"))
        let page = try #require(try scanAll(scanner).first)
        #expect(page.depth == 1 && page.bytesPerLine == (page.width + 7) / 8)
        #expect(page.pixels.allSatisfy { $0 == 0 }, "white paper stays white")
        try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, resolution: 300))
        #expect(!scanner.thresholdInSoftware)
        #expect(try scanAll(scanner).first?.depth == 8)
    }

    @Test func hpaioChoosesADFNotAutoAndSwitchesBatchScanWithTheFeeder() throws {
        let (scanner, _) = try DeviceDescriptions.open("hpaio-laserjet-m426.json", withoutFailures: true)
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        var values = try currentValues(scanner)
        #expect(values["source"] == .string("ADF"))
        #expect(values["batch-scan"] == .bool(true))
        #expect(try scanAll(scanner).count == 3)
        try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, resolution: 300))
        values = try currentValues(scanner)
        #expect(values["source"] == .string("Flatbed"))
        #expect(values["batch-scan"] == .bool(false))
    }

    @Test func aSetWhoseValueAlreadyHoldsIsSkipped() throws {
        let (scanner, device) = try DeviceDescriptions.open("fujitsu-fi-7160.json", withoutFailures: true)
        let settings = ScanSettings(source: .adf, mode: .gray, resolution: 300, pageWidthMM: 210, pageHeightMM: 297)
        try scanner.apply(settings)
        let first = device.writes.count
        let planned = scanner.lastWrites.count + scanner.lastSkipped.count
        #expect(first > 0 && first == scanner.lastWrites.count)
        try scanner.apply(settings)
        #expect(device.writes.count == first, "nothing written the second time: \(device.writes.dropFirst(first).map(\.name))")
        #expect(scanner.lastWrites.isEmpty && scanner.lastSkipped.count == planned)
    }

    // MARK: - Double feed

    @Test func doubleFeedDetectionIsSwitchedOnForFeederProfiles() throws {
        let cases: [(String, [String: OptionValue])] = [
            ("fujitsu-fi-7160.json", ["df-action": .string("Stop"), "df-thickness": .bool(true), "df-length": .bool(true)]),
            ("canon_dr-dr-c225.json", ["df-thickness": .bool(true), "df-length": .bool(true)]),
            ("kvs1025-kv-s1025c.json", ["double-feed": .bool(true)]),
            ("kvs20xx-kv-s2026c.json", ["double-feed": .bool(true)]),
            ("kvs40xx-kv-s4065cw.json", ["dfeed": .bool(true)]),
        ]
        for (file, expected) in cases {
            let (scanner, _) = try DeviceDescriptions.open(file)
            try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
            let values = try currentValues(scanner)
            for (name, value) in expected { #expect(values[name] == value, "\(file): \(name)") }
        }
    }

    @Test func aDoubleFeedReportedAsAJamIsToldAsADoubleFeed() throws {
        let (scanner, _) = try DeviceDescriptions.open("fujitsu-fi-7160.json")
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        var delivered = 0
        let error = try #require(throws: ScanError.self) { try scanner.scan(shouldStop: { false }) { _ in delivered += 1 } }
        #expect(error.code == .doubleFeed)
        #expect(error.message.hasPrefix("Hai tờ giấy bị kéo cùng lúc"))
        #expect(error.detail.contains("SANE_STATUS_JAMMED") && error.detail.contains("double-feed"))
        #expect(delivered == 1)
    }

    @Test func aJamWithoutADoubleFeedSensorStaysAJam() throws {
        let (scanner, _) = try DeviceDescriptions.open("canon_dr-dr-c225.json")
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        let error = try #require(throws: ScanError.self) { _ = try scanAll(scanner) }
        #expect(error.code == .jammed)
    }

    @Test(arguments: ["epsonds-ds-530.json", "avision-av220.json"])
    func anIOErrorMidFeedOnBackendsThatUseItForDoubleFeedsSaysSo(file: String) throws {
        let (scanner, _) = try DeviceDescriptions.open(file)
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 150))
        let error = try #require(throws: ScanError.self) { _ = try scanAll(scanner) }
        #expect(error.code == .feedFault)
        #expect(error.message.contains("hai tờ bị kéo cùng lúc"))
    }
}
