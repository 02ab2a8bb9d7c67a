import Foundation
import Imaging
import Registry
import Scanning
import Testing
@testable import Appliance
@testable import PagePipeline
@testable import Stamping

/// The registered PDF as the centre gets it: stamped with its number, in colour, hashed whole.
@Suite struct DocumentOfRecordTests {
    func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, data: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), data)
    }

    @Test func aRegisteredScanCarriesTheStampWithItsNumberAndVietnamTime() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock, stamp: true)
        let service = ScanService(context: context, logger: testLogger)
        _ = try service.scanAndRegister(scanner: FakeScanner(), profileName: "default")
        clock.advance(60)
        let document = try service.scanAndRegister(scanner: FakeScanner(), profileName: "default")
        #expect(document.number == 2)

        let check = try run("qpdf", ["--check", document.path])
        #expect(check.status == 0, "\(check.output)")
        let text = try run("pdftotext", ["-f", "1", "-l", "1", document.path, "-"]).output
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh"))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: document.arrivedAt)
        #expect(text.contains("Số: 2"), "\(text)")
        #expect(text.contains(String(format: "Ngày: %02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)), "\(text)")
        #expect(text.contains(String(format: "Giờ: %02d:%02d", c.hour ?? 0, c.minute ?? 0)), "\(text)")
        #expect(text.contains("ĐẾN"))
        #expect(!(try run("pdftotext", ["-f", "2", "-l", "2", document.path, "-"]).output.contains("ĐẾN")), "only page 1 is stamped")

        // The hash the centre checks is the stamped file's.
        let sum = try run("sha256sum", [document.path]).output.split(separator: " ").first.map(String.init)
        #expect(sum == document.sha256)

        // Image streams are byte for byte those of an unstamped build of the same pages.
        let plain = dir.path + "/plain.pdf"
        let profile = try #require(context.configuration.profiles["default"])
        _ = try DocumentBuilder.scan(with: FakeScanner(), recipe: ScanRecipe(profile: profile), to: plain,
                                     metadata: PDFMetadata(title: "plain"))
        // Per page: image, its length, content, page (PDFWriter).
        for object in [4, 8, 12] {
            let stamped = try run("qpdf", ["--show-object=\(object)", "--raw-stream-data", document.path])
            let unstamped = try run("qpdf", ["--show-object=\(object)", "--raw-stream-data", plain])
            #expect(stamped.status == 0 && unstamped.status == 0)
            #expect(stamped.data.starts(with: [0xFF, 0xD8]), "image object \(object) is a JPEG")
            #expect(stamped.data == unstamped.data, "image object \(object)")
        }
    }

    @Test func stampPositionComesFromTheConfiguration() throws {
        let text = """
            organisation_code = "000.00.00.H49"
            [stamp]
            position = "bottom-left"
            margin_mm = 12
            """
        let config = try ConfigurationLoader.parse(text, file: "t.toml")
        #expect(config.stamp.position == .bottomLeft)
        #expect(config.stamp.marginMM == 12)
        let stamper = PDFArrivalStamper(configuration: config)
        #expect(stamper.placement == StampPlacement(corner: .bottomLeft, marginMM: 12))
        #expect(stamper.organisation == "000.00.00.H49", "the code stands in for a missing organisation_name")

        let bad = "organisation_code = \"000.00.00.H49\"\n[stamp]\nposition = \"middle\"\nfont = \"/nonexistent/x.ttf\""
        #expect { try ConfigurationLoader.parse(bad, file: "t.toml") } throws: { error in
            let text = "\(error)"
            return text.contains("t.toml:3") && text.contains("top-right") && text.contains("t.toml:4") && text.contains("fonts-dejavu-core")
        }
    }

    // MARK: - digitisation rules (Phụ lục I)

    static let base = "organisation_code = \"000.00.00.H49\"\n[profiles.default]\n"

    @Test(arguments: [
        ("mode = \"Gray\"", 3, "colour images (ảnh màu)"),
        ("mode = \"Lineart\"", 3, "colour images (ảnh màu)"),
        ("resolution = 150", 3, "at least 200 dpi"),
    ])
    func aRegisteredProfileBreakingARuleIsRefusedAtValidateWithTheRuleNamed(line: String, at number: Int, rule: String) throws {
        #expect { try ConfigurationLoader.parse(Self.base + line, file: "intake.toml") } throws: { error in
            let text = "\(error)"
            return text.contains("intake.toml:\(number)") && text.contains("Decree 30/2020 Phụ lục I") && text.contains(rule)
        }
    }

    @Test func aRegisteredScanBreakingARuleIsRefusedBeforeThePaperMoves() throws {
        let dir = TemporaryDirectory()
        var context = try makeContext(dir, stamp: true)
        var gray = Configuration.Profile()
        gray.mode = .gray
        gray.resolution = 150
        context.configuration.profiles["gray"] = gray
        let scanner = FakeScanner()
        #expect { try ScanService(context: context, logger: testLogger).scanAndRegister(scanner: scanner, profileName: "gray") } throws: { error in
            guard let error = error as? PipelineError else { return false }
            return error.code == .digitisation && error.message.contains("quy định số hóa")
                && error.detail.contains("ảnh màu") && error.detail.contains("at least 200 dpi")
        }
        #expect(scanner.batches == 0, "no paper moved")
        #expect(try context.register.list().isEmpty)
    }

    @Test func scanToFileKeepsEveryMode() throws {
        let dir = TemporaryDirectory()
        var profile = Configuration.Profile()
        profile.mode = .lineart
        profile.resolution = 75
        let built = try DocumentBuilder.scan(with: FakeScanner(), recipe: ScanRecipe(profile: profile), to: dir.path + "/any.pdf",
                                             metadata: PDFMetadata(title: "any"))
        #expect(built.pages == 3)
    }
}
