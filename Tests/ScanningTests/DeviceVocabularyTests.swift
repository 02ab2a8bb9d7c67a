import Testing
@testable import Scanning

struct DeviceVocabularyTests {
    @Test(arguments: [
        (ScanSource.adf, ["Flatbed", "ADF Front", "ADF Back", "ADF Duplex"], "ADF Front"),
        (.adfDuplex, ["Flatbed", "ADF Front", "ADF Back", "ADF Duplex"], "ADF Duplex"),
        (.adf, ["Flatbed", "Automatic Document Feeder"], "Automatic Document Feeder"),
        (.flatbed, ["FlatBed", "ADF"], "FlatBed"),
        (.adf, ["Flatbed", "Automatic Document Feeder(left aligned)", "Automatic Document Feeder(left aligned,Duplex)"],
         "Automatic Document Feeder(left aligned)"),
    ])
    func sourcesMapToTheDevicesOwnNames(source: ScanSource, list: [String], expected: String) {
        #expect(DeviceVocabulary.sourceName(for: source, in: list) == expected)
    }

    @Test func modesMapToTheDevicesOwnNames() {
        #expect(DeviceVocabulary.modeName(for: .lineart, in: ["Binary", "Gray", "Color"]) == "Binary")
        #expect(DeviceVocabulary.modeName(for: .color, in: ["Lineart", "Halftone", "Gray", "Color"]) == "Color")
        #expect(DeviceVocabulary.modeName(for: .lineart, in: ["Gray", "Color"]) == nil)
    }
}
