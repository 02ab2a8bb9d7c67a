import Foundation
import Imaging
import IntakeCore
import IntakeDigest
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

    /// The registered path counts "after the last line" from here: a streamed PDF scan says when
    /// the scanner's last row arrived, and it is before the scan returned.
    @Test func aStreamedScanSaysWhenItsLastLineArrived() throws {
        let dir = TemporaryDirectory()
        let before = ContinuousClock.now
        let built = try DocumentBuilder.scan(
            with: DuplexFake(sheets: 2),
            recipe: ScanRecipe(settings: ScanSettings(source: .adfDuplex, mode: .gray, resolution: 100, extraOptions: [:])),
            to: dir.path + "/doc.pdf", metadata: PDFMetadata(title: "t", creationDate: Date()))
        let lastLine = try #require(built.lastLineAt)
        #expect(lastLine >= before && lastLine <= ContinuousClock.now)
    }

    /// The plain staged scan's writer: the bytes land in the file and the digest it keeps is the
    /// file's SHA-256, across the 1 MiB steps where it starts the writeback.
    @Test func aDigestingFileHoldsTheBytesAndTheirHash() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/staged.pdf"
        let file = try DigestingFile(path: path)
        var rng = SplitMix64(seed: 13)
        var all: [UInt8] = []
        for size in [10, 700_000, 1 << 20, 3, 1_500_000] {
            let chunk = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try chunk.withUnsafeBytes { try file.write($0) }
            all += chunk
        }
        try file.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(all))
        #expect(file.digest.byteCount == all.count)
        #expect(file.digest.hex == (try FileDigest.sha256(path: path)))
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
