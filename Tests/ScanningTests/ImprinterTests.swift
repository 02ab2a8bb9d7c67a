import Testing
@testable import Scanning

/// Imprint text onto fujitsu's endorser and canon_dr's imprinter; switched off for profiles without it.
struct ImprinterTests {
    private let text = "DEN 000007 01/12/2026"

    @Test func fujitsuEndorserPrintsTheTextAndIsSwitchedOffAfterwards() throws {
        let (scanner, device) = try DeviceDescriptions.open("fujitsu-fi-7160.json", withoutFailures: true)
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300, imprint: text))
        var values = try currentValues(scanner)
        #expect(values["endorser"] == .bool(true))
        #expect(values["endorser-string"] == .string(text))
        let names = device.writes.map(\.name)
        #expect((names.firstIndex(of: "endorser") ?? .max) < (names.firstIndex(of: "endorser-string") ?? -1))
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        values = try currentValues(scanner)
        #expect(values["endorser"] == .bool(false))
        #expect(values["endorser-string"] == nil, "inactive again")
    }

    @Test func canonImprinterGetsTheTextAndAnEmptyStringAfterwards() throws {
        let (scanner, _) = try DeviceDescriptions.open("canon_dr-dr-x10c.json")
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300, imprint: text))
        #expect(try currentValues(scanner)["post-imprint-string"] == .string(text))
        try scanner.apply(ScanSettings(source: .adf, mode: .gray, resolution: 300))
        #expect(try currentValues(scanner)["post-imprint-string"] == .string(""))
    }

    @Test func aScannerWithoutImprinterOrTextItCannotPrintIsRefused() throws {
        let (kodak, _) = try DeviceDescriptions.open("kodak-i1220.json")
        #expect(kodak.validate(ScanSettings(source: .adf, imprint: text)).map(\.code) == [.unsupported])
        let (fujitsu, _) = try DeviceDescriptions.open("fujitsu-fi-7160.json")
        #expect(fujitsu.validate(ScanSettings(source: .adf, imprint: "Số 7")).map(\.code) == [.invalidOption])
        #expect(fujitsu.validate(ScanSettings(source: .adf, imprint: "DEN %05ud")).map(\.code) == [.invalidOption])
        #expect(fujitsu.validate(ScanSettings(source: .adf, imprint: String(repeating: "9", count: 41))).map(\.code) == [.invalidOption])
    }
}
