import Foundation
import Registry
import Scanning
import Testing
@testable import Appliance
@testable import PagePipeline

/// `imprint = true`: the number is reserved before the batch, printed by the endorser, registered as printed.
struct ImprintScanTests {
    private func fujitsu() throws -> DeviceDescription {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ScanningTests/Devices/fujitsu-fi-7160.json")
        return try JSONDecoder().decode(DeviceDescription.self, from: Data(contentsOf: url))
    }

    private func service(_ dir: TemporaryDirectory) throws -> (ScanService, ApplianceContext) {
        var context = try makeContext(dir)
        var profile = Configuration.Profile()
        profile.source = .adf
        profile.mode = .color  // registered scans are colour (Decree 30/2020, Phụ lục I)
        profile.resolution = 200
        profile.pageWidthMM = 210
        profile.pageHeightMM = 297
        profile.imprint = true
        context.configuration.profiles["stamp"] = profile
        return (ScanService(context: context, logger: testLogger), context)
    }

    private func endorserText(_ scanner: any Scanning.Scanner) throws -> String? {
        guard case .string(let s)? = try scanner.options().first(where: { $0.name == "endorser-string" })?.value else { return nil }
        return s
    }

    @Test func theEndorserPrintsTheNumberThatIsRegistered() throws {
        let dir = TemporaryDirectory()
        let (service, context) = try service(dir)
        _ = try registerDocument(context)
        var description = try fujitsu()
        description.read.failures = []
        let scanner = description.openReplay()
        let document = try service.scanAndRegister(scanner: scanner, profileName: "stamp")
        #expect(document.number == 2)
        let printed = try #require(try endorserText(scanner))
        #expect(printed.hasPrefix("DEN 000002 "), "\(printed)")
        #expect(try context.register.openReservations().isEmpty)
    }

    @Test func aScannerWithoutImprinterHoldsNoNumber() throws {
        let dir = TemporaryDirectory()
        let (service, context) = try service(dir)
        let kodak = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ScanningTests/Devices/kodak-i1220.json")
        let scanner = try JSONDecoder().decode(DeviceDescription.self, from: Data(contentsOf: kodak)).openReplay()
        let error = try #require(throws: ScanError.self) { try service.scanAndRegister(scanner: scanner, profileName: "stamp") }
        #expect(error.code == .unsupported)
        #expect(try context.register.openReservations().isEmpty)
        #expect(try context.register.list().isEmpty)
    }

    @Test func aDoubleFeedNumbersNothingAndTheRefedBatchKeepsItsNumber() throws {
        let dir = TemporaryDirectory()
        let (service, context) = try service(dir)
        let scanner = try fujitsu().openReplay()   // sheet 2 double-feeds (fujitsu.c:9343)
        let error = try #require(throws: ScanError.self) { try service.scanAndRegister(scanner: scanner, profileName: "stamp") }
        #expect(error.code == .doubleFeed)
        #expect(try context.register.list().isEmpty, "nothing numbered for a failed batch")
        let open = try #require(try context.register.openReservations().first)
        let printedFirst = try endorserText(scanner)

        let document = try service.scanAndRegister(scanner: scanner, profileName: "stamp")
        #expect(document.number == open.number)
        #expect(try endorserText(scanner) == printedFirst)
        #expect(try context.register.list().map(\.number) == [open.number])
    }
}

extension ImprintScanTests {
    @Test func validatingAnImprintProfileChecksTheScannerHasAnImprinter() throws {
        var profile = Configuration.Profile()
        profile.imprint = true
        let recipe = ScanRecipe(profile: profile)
        #expect(try fujitsu().openReplay().validate(recipe.settings) == [])
        let kodak = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ScanningTests/Devices/kodak-i1220.json")
        let noImprinter = try JSONDecoder().decode(DeviceDescription.self, from: Data(contentsOf: kodak)).openReplay()
        #expect(noImprinter.validate(recipe.settings).map(\.code) == [.unsupported])
        profile.imprint = false
        #expect(noImprinter.validate(ScanRecipe(profile: profile).settings) == [])
    }
}

extension ImprintScanTests {
    @Test func theImprintTextIsASCIIWithTheVietnamDate() throws {
        // 18:30 UTC on 1 December is 01:30 on 2 December in Vietnam.
        let reservedAt = try #require(ISO8601DateFormatter().date(from: "2026-12-01T18:30:00Z"))
        let reservation = NumberReservation(id: "x", book: "DEN", year: 2026, number: 42, profile: "stamp", reservedAt: reservedAt)
        let text = ImprintText.text(for: reservation)
        #expect(text == "DEN 000042 02/12/2026")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.count == ImprintText.sample.count)
    }
}
