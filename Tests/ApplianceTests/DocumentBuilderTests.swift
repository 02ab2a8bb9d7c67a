import Foundation
import Imaging
import Scanning
import Testing
@testable import Appliance
@testable import PagePipeline

/// Alternating printed fronts and blank backs, as a duplex scan of one-sided letters gives.
final class DuplexFake: PageOnlyScanner, @unchecked Sendable {
    let info = DeviceInfo(name: "duplex:0", vendor: "Fake", model: "Duplex", type: "sheetfed scanner")
    let sheets: Int
    init(sheets: Int) { self.sheets = sheets }
    func scan(shouldStop: () -> Bool, onPage: (Page) throws -> Void) throws -> Int {
        let width = 400, height = 560
        for index in 1...(sheets * 2) {
            var pixels = [UInt8](repeating: 245, count: width * height)
            // Paper noise on every side; text lines on fronts only.
            for speck in stride(from: 1_000, to: pixels.count, by: 7_919) { pixels[speck] = 60 }
            if index % 2 == 1 {
                for line in 0..<12 { for y in (60 + line * 30)..<(66 + line * 30) { for x in 40..<360 where x % 9 < 6 { pixels[y * width + x] = 20 } } }
            }
            try onPage(Page(index: index, width: width, height: height, depth: 8, channels: 1, bytesPerLine: width,
                            resolution: 100, pixels: pixels))
        }
        return sheets * 2
    }
}

@Suite struct DocumentBuilderTests {
    @Test(arguments: [true, false])
    func blankBacksOfADuplexScanAreDroppedWhenTheProfileSaysSo(_ remove: Bool) throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/duplex.pdf"
        var progress: [Int] = []
        let built = try DocumentBuilder.scan(
            with: DuplexFake(sheets: 3),
            recipe: ScanRecipe(settings: ScanSettings(source: .adfDuplex, mode: .gray, resolution: 100, extraOptions: [:]),
                               removeBlankPages: remove),
            to: path, metadata: PDFMetadata(title: "t", creationDate: Date()),
            progress: { if case let .page(number, _, _, _) = $0 { progress.append(number) } }
        )
        #expect(progress == [1, 2, 3, 4, 5, 6])
        #expect(built.pages == (remove ? 3 : 6))
        #expect(built.blankPagesRemoved == (remove ? 3 : 0))
        let info = try String(decoding: runPdfinfo(path), as: UTF8.self)
        #expect(info.contains("Pages:           \(remove ? 3 : 6)"), "\(info)")
    }

    func runPdfinfo(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdfinfo")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
