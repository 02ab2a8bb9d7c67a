import Crypto
import Foundation
import IntakeCore
import Registry
import Scanning
import Testing
@testable import Appliance

/// Pages of noise (they compress badly, so each page is over a MiB of JPEG and reaches the disk
/// while the scan goes on), the same pages on every scan, and a look at the disk after each page.
final class NoisyScanner: PageOnlyScanner, @unchecked Sendable {
    let info = DeviceInfo(name: "noisy:0", vendor: "Fake", model: "Noise 1", type: "sheetfed scanner")
    let pages = 3
    var afterPage: (Int) -> Void = { _ in }

    func scan(shouldStop: () -> Bool, onPage: (Page) throws -> Void) throws -> Int {
        let width = 1400, height = 1400
        for index in 1...pages {
            var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for i in pixels.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
            }
            try onPage(Page(index: index, width: width, height: height, depth: 8, channels: 3, bytesPerLine: width * 3,
                            resolution: 200, pixels: pixels))
            afterPage(index)
        }
        return pages
    }
}

@Suite struct SealedScanTests {
    /// Every regular file under `root`, with its bytes.
    static func files(under root: String) -> [(path: String, bytes: Data)] {
        var found: [(String, Data)] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = root + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
               let bytes = FileManager.default.contents(atPath: path) {
                found.append((path, bytes))
            }
        }
        return found
    }

    /// Pieces of the page images as a plain scan of the same pages writes them: 64-byte windows
    /// from inside each image stream, plus the PDF's own words.
    static func plaintextSignatures(ofPlainPDF pdf: Data) -> [Data] {
        var signatures = [Data("%PDF-".utf8), Data("/DCTDecode".utf8), Data("endstream".utf8)]
        var from = pdf.startIndex
        while let start = pdf.range(of: Data("stream\n".utf8), in: from..<pdf.endIndex),
              let end = pdf.range(of: Data("\nendstream".utf8), in: start.upperBound..<pdf.endIndex) {
            let body = start.upperBound..<end.lowerBound
            if body.count > 100_000 {
                for offset in stride(from: body.lowerBound + 1000, to: body.upperBound - 64, by: body.count / 8) {
                    signatures.append(pdf[offset..<(offset + 64)])
                }
            }
            from = end.upperBound
        }
        return signatures
    }

    @Test(arguments: ["mat", "toi_mat"])
    func aClassifiedScanNeverPutsPlaintextPageBytesOnDiskDuringOrAfterTheScan(secrecy: String) throws {
        // The same pages scanned as an ordinary document on an Internet box: what plaintext looks like.
        let plainBox = try SecrecyFlowTests.Box(.internet)
        let plainDocument = try ScanService(context: plainBox.context, logger: testLogger)
            .scanAndRegister(scanner: NoisyScanner(), profileName: "default")
        let plainPDF = try Data(contentsOf: URL(fileURLWithPath: plainDocument.path))
        let signatures = Self.plaintextSignatures(ofPlainPDF: plainPDF)
        #expect(signatures.count >= 3 + 3 * 8, "the pages' image streams were found in the plain PDF")
        // The signatures do find plaintext: in the ordinary scan's files they are all there.
        for signature in signatures { #expect(plainPDF.range(of: signature) != nil) }

        let box = try SecrecyFlowTests.Box(.classified)
        let state = box.context.configuration.paths.stateDirectory
        let scanner = NoisyScanner()
        var leaks: [String] = []
        var sealedBytesDuringScan: [Int] = []
        scanner.afterPage = { page in
            let staged = Self.files(under: box.context.configuration.paths.stagingDirectory)
            sealedBytesDuringScan.append(staged.filter { $0.path.hasSuffix(".sealed") }.map(\.bytes.count).reduce(0, +))
            for file in Self.files(under: state) {
                for signature in signatures where file.bytes.range(of: signature) != nil {
                    leaks.append("after page \(page): \(file.path) holds plaintext (\(signature.prefix(12).map { String(format: "%02x", $0) }.joined()))")
                }
            }
            #expect(staged.allSatisfy { $0.path.hasSuffix(".sealed") && AtRestCipher.isSealed($0.path) },
                    "only sealed files in staging: \(staged.map(\.path))")
        }
        let document = try ScanService(context: box.context, logger: testLogger)
            .scanAndRegister(scanner: scanner, profileName: "default", overrides: ScanOverrides(secrecy: try Secrecy(word: secrecy)))
        #expect(document.storage == .sealed && document.pages == 3)
        let leakCount = leaks.count
        #expect(leakCount == 0, "\(leaks.prefix(5))")
        // The scan was written while it went on (sealed chunks of a MiB), not at the end. Pages are
        // encoded one behind the device (two encoders), so the first MiB is there by the last page.
        #expect(sealedBytesDuringScan.count == 3)
        #expect(sealedBytesDuringScan.last ?? 0 > 1_000_000, "\(sealedBytesDuringScan)")
        #expect(sealedBytesDuringScan == sealedBytesDuringScan.sorted() && Set(sealedBytesDuringScan).count == 3, "\(sealedBytesDuringScan)")
        for file in Self.files(under: state) {
            for signature in signatures { #expect(file.bytes.range(of: signature) == nil, "\(file.path) holds plaintext after the scan") }
        }
        // And the sealed document opens to a whole PDF with the same page images.
        let files = try ClassifiedFiles(configuration: box.context.configuration, environment: [:])
        let copy = try files.plainCopy(of: document)
        defer { copy.remove() }
        let opened = try Data(contentsOf: URL(fileURLWithPath: copy.path))
        #expect(opened.starts(with: Data("%PDF-1.4".utf8)))
        #expect(opened.suffix(6) == Data("%%EOF\n".utf8))
        for signature in signatures { #expect(opened.range(of: signature) != nil) }
    }

    @Test(arguments: [0, 1, 999, 1000, 1001, 5500])
    func aFileSealedWhileWrittenOpensLikeOneSealedAfterwards(size: Int) throws {
        let dir = TemporaryDirectory()
        let key = SymmetricKey(size: .bits256)
        let cipher = AtRestCipher(key: key, chunkSize: 1000)
        let plain = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let writer = try SealingFile(cipher: cipher, path: dir.path + "/streamed.sealed")
        // Uneven pieces, as a PDF writer hands them over.
        var offset = 0, piece = 1
        while offset < plain.count {
            let end = min(plain.count, offset + piece)
            try writer.append(plain[offset..<end])
            offset = end
            piece = piece * 3 % 1700 + 1
        }
        let sha = try writer.finish()
        let back = try cipher.open(dir.path + "/streamed.sealed", to: dir.path + "/back")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/back")) == plain)
        #expect(back == sha)
        try plain.write(to: URL(fileURLWithPath: dir.path + "/plain"))
        try cipher.seal(dir.path + "/plain", to: dir.path + "/whole.sealed")
        let streamed = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/streamed.sealed"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/whole.sealed"))
        #expect(streamed.count == whole.count, "the same layout: header, then ⌈size/1000⌉ chunks (one when empty)")
        #expect(streamed.count == 21 + max(1, (size + 999) / 1000) * 16 + size)
    }

    @Test func aScanThatFailsHalfWayLeavesNoSealedFragmentBehind() throws {
        let box = try SecrecyFlowTests.Box(.classified)
        let scanner = FakeScanner()
        scanner.failAtPage = (2, ScanError(code: .jammed, message: "Giấy bị kẹt.", detail: "fake jam"))
        #expect(throws: ScanError.self) {
            try ScanService(context: box.context, logger: testLogger)
                .scanAndRegister(scanner: scanner, profileName: "default", overrides: ScanOverrides(secrecy: .mat))
        }
        #expect(box.storedFiles().isEmpty, "\(box.storedFiles())")
    }
}
