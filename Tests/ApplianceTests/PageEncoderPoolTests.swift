import Foundation
import Testing
@testable import PagePipeline
import Imaging
import Scanning

@Suite struct PageEncoderPoolTests {
    /// Gray pages of different heights (so they finish out of order on two workers), with text-like bars.
    static func page(_ index: Int) -> Page {
        let width = 400, height = index % 2 == 1 ? 1600 : 200
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in stride(from: 20, to: height - 20, by: 40) {
            for x in 40..<(width - 40) where (x / 7 + index) % 3 != 0 { pixels[y * width + x] = 0 }
        }
        return Page(index: index, width: width, height: height, depth: 8, channels: 1, bytesPerLine: width,
                    resolution: 150, pixels: pixels)
    }

    /// A scratch PDF for the pool to write into.
    static func document(removeBlankPages: Bool = false) throws -> (PageAssembler, PDFWriter, String) {
        let path = NSTemporaryDirectory() + "pool-\(UUID().uuidString).pdf"
        let pdf = try PDFWriter(path: path, metadata: PDFMetadata(title: "pool", creationDate: Date()))
        return (PageAssembler(pdf: pdf, removeBlankPages: removeBlankPages), pdf, path)
    }

    @Test func pagesEncodedOnTwoWorkersGoIntoTheFileInPageOrderWithBoundedBuffering() throws {
        let encoder = PageStreamEncoder(jpegQuality: 80, tables: .trained, blankDetector: nil)
        let (document, pdf, path) = try Self.document()
        defer { unlink(path) }
        let pool = PageEncoderPool(workers: 2, encoder: encoder, document: document)
        var order: [Int] = []
        for index in 1...12 {
            document.expect(index)
            try pool.submit(PageStrips(page: Self.page(index)))
            order += try pool.ready().map(\.index)
        }
        order += try pool.finish().map(\.index)
        try document.finish()
        try pdf.finish()
        #expect(order == Array(1...12))
        #expect(pool.mostRawPages <= pool.workers + 1)
        #expect(pool.mostHeldResults <= pool.workers)
        // The file holds every page in order, each the same bytes as encoding that page alone.
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let streams = imageStreams(in: file)
        #expect(streams.count == 12)
        for index in 1...12 where streams.count == 12 {
            let single = try encoder.encode(PageStrips(page: Self.page(index)))
            #expect(streams[index - 1] == single.page.data, "page \(index)")
        }
        // Held back at most the pages encoding ahead of their turn: never more than a page per worker.
        let largest = try (1...12).map { try encoder.encode(PageStrips(page: Self.page($0))).page.data.count }.max() ?? 0
        #expect(document.mostHeldBytes <= pool.workers * largest)
    }

    @Test func aPageThatFailsToEncodeStopsThePoolWithItsError() throws {
        let encoder = PageStreamEncoder(jpegQuality: 80, tables: .trained, blankDetector: nil)
        let (document, _, path) = try Self.document()
        defer { unlink(path) }
        let pool = PageEncoderPool(workers: 2, encoder: encoder, document: document)
        document.expect(1)
        document.expect(2)
        try pool.submit(PageStrips(page: Self.page(1)))
        // A page whose pixels stop short of its height: the encoder's typed error comes back.
        let broken = Page(index: 2, width: 400, height: 300, depth: 8, channels: 1, bytesPerLine: 400, resolution: 150,
                          pixels: [UInt8](repeating: 255, count: 400 * 100))
        try pool.submit(PageStrips(page: broken))
        let error = try #require(throws: ImagingError.self) { _ = try pool.finish() }
        #expect(error.code == .invalidRaster)
    }
}

/// The image streams of a PDF written by PDFWriter, in file order (each between "stream\n" after
/// an image dictionary and "\nendstream").
func imageStreams(in file: [UInt8]) -> [[UInt8]] {
    let marker = Array("/Subtype /Image".utf8), open = Array("stream\n".utf8), close = Array("\nendstream".utf8)
    var streams: [[UInt8]] = []
    var at = file.startIndex
    while let image = file[at...].firstRange(of: marker), let start = file[image.upperBound...].firstRange(of: open),
          let end = file[start.upperBound...].firstRange(of: close) {
        streams.append(Array(file[start.upperBound..<end.lowerBound]))
        at = end.upperBound
    }
    return streams
}
