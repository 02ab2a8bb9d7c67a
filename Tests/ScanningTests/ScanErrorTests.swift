import Testing
@testable import Scanning

struct ScanErrorTests {
    @Test(arguments: [
        (1, ScanError.Code.unsupported), (2, .cancelled), (3, .deviceBusy), (4, .invalidOption), (5, .ioError),
        (6, .jammed), (7, .noDocuments), (8, .coverOpen), (9, .ioError), (10, .outOfMemory), (11, .accessDenied), (42, .other),
    ])
    func everySaneStatusMapsToATypedError(status: Int, code: ScanError.Code) {
        let error = ScanError.sane(status: status, operation: "sane_read on x:0")
        #expect(error.code == code)
        #expect(error.detail.hasPrefix("sane_read on x:0: "))
        #expect(!error.message.isEmpty && !error.message.contains("SANE"))
    }

    @Test func anIOErrorFromAVanishedDeviceIsDeviceGone() {
        let error = ScanError.sane(status: 9, operation: "sane_read on fujitsu:1", deviceGone: true)
        #expect(error.code == .deviceGone)
        #expect(error.message.contains("disconnected"))
    }
}

struct RasterAssemblyTests {
    @Test func sixteenBitSamplesKeepTheirHighByte() {
        let samples: [UInt16] = [0x0000, 0xFFFF, 0x80FF, 0x1234]
        let bytes = samples.withUnsafeBytes { Array($0) }
        let out = RasterAssembly.reduce16To8(bytes, bytesPerLine: 4, lines: 2)
        #expect(out.bytesPerLine == 2)
        #expect(out.pixels == [0x00, 0xFF, 0x80, 0x12])
    }

    @Test func threePlanesInterleaveIntoRGB() {
        let rgb = RasterAssembly.interleave(red: [1, 2, 0, 3, 4, 0], green: [5, 6, 0, 7, 8, 0], blue: [9, 10, 0, 11, 12, 0],
                                            planeBytesPerLine: 3, width: 2, lines: 2)
        #expect(rgb == [1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12])
    }
}

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
