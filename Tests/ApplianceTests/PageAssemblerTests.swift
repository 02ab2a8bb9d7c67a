import Foundation
import Imaging
@testable import PagePipeline
import Testing

/// The assembler driven directly: pages in any order of work come out in page order, a page
/// whose turn it is goes into the file as its bytes come, and a blank page's bytes never do.
@Suite struct PageAssemblerTests {
    static let image = PageImage(width: 100, height: 100, xResolution: 100, yResolution: 100, colorSpace: .gray,
                                 compression: .jpeg(quality: 80))

    static func bytes(_ value: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: value, count: count) }

    func write(_ document: PageAssembler, _ index: Int, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try document.write(index, $0) }
    }

    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    @Test func aPageFinishedBeforeItsTurnWaitsAndThePagesLandInOrder() throws {
        let (document, pdf, path) = try PageEncoderPoolTests.document()
        defer { unlink(path) }
        document.expect(1)
        document.expect(2)
        try document.begin(2, image: Self.image)
        try write(document, 2, Self.bytes(0xB2, 3000))
        try document.end(2, isBlank: false)
        #expect(document.mostHeldBytes == 3000)
        try document.begin(1, image: Self.image)
        try write(document, 1, Self.bytes(0xA1, 1000))
        try document.end(1, isBlank: false)
        try document.finish()
        try pdf.finish()
        let streams = imageStreams(in: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(streams == [Self.bytes(0xA1, 1000), Self.bytes(0xB2, 3000)])
        #expect(document.kept == 2)
    }

    @Test func thePageWhoseTurnItIsGoesIntoTheFileAsItsBytesCome() throws {
        let (document, pdf, path) = try PageEncoderPoolTests.document()
        defer { unlink(path) }
        document.expect(1)
        try document.begin(1, image: Self.image)
        try write(document, 1, Self.bytes(0x11, 300_000))
        // Before the page ends, its bytes are in the file (past the writer's 64 KiB buffer).
        #expect(fileSize(path) >= 300_000 - 65_536)
        #expect(document.mostHeldBytes == 0)
        try document.end(1, isBlank: false)
        try document.finish()
        try pdf.finish()
        #expect(imageStreams(in: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) == [Self.bytes(0x11, 300_000)])
    }

    @Test func withBlankRemovalAPageWaitsForItsInkAndABlankOneNeverReachesTheFile() throws {
        let (document, pdf, path) = try PageEncoderPoolTests.document(removeBlankPages: true)
        defer { unlink(path) }
        for index in 1...3 { document.expect(index) }
        // Page 1: nearly blank, its bytes held until it ends blank, then dropped.
        try document.begin(1, image: Self.image)
        try write(document, 1, Self.bytes(0xEE, 200_000))
        #expect(fileSize(path) < 65_536)
        try document.end(1, isBlank: true)
        // Page 2: held until its ink passes the threshold, then streamed.
        try document.begin(2, image: Self.image)
        try write(document, 2, Self.bytes(0x22, 200_000))
        #expect(fileSize(path) < 65_536)
        try document.inked(2)
        #expect(fileSize(path) >= 200_000 - 65_536)
        try write(document, 2, Self.bytes(0x23, 10))
        try document.end(2, isBlank: false)
        // Page 3: never reported inked, kept because it ended not blank.
        try document.begin(3, image: Self.image)
        try write(document, 3, Self.bytes(0x33, 500))
        try document.end(3, isBlank: false)
        try document.finish()
        try pdf.finish()
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(imageStreams(in: file) == [Self.bytes(0x22, 200_000) + Self.bytes(0x23, 10), Self.bytes(0x33, 500)])
        #expect(file.firstRange(of: Self.bytes(0xEE, 64)) == nil, "a blank page's bytes are not in the file")
        #expect((document.kept, document.blank) == (2, 1))
    }

    @Test func aPageThatNeverEndsIsAnError() throws {
        let (document, _, path) = try PageEncoderPoolTests.document()
        defer { unlink(path) }
        document.expect(1)
        try document.begin(1, image: Self.image)
        let error = try #require(throws: ImagingError.self) { try document.finish() }
        #expect(error.code == .writerState)
    }
}
