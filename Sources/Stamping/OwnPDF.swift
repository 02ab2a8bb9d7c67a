internal import Foundation
internal import Imaging

// MARK: - Reading our own PDF

/// The few facts of a `PDFWriter` file an incremental update needs: its one xref table, the
/// trailer's Root/Info/ID/Size, and page 1's object. Anything else is refused, not guessed.
struct OwnPDF {
    let size: Int
    let xrefOffset: Int
    let objectCount: Int
    let root: Int
    let info: Int?
    let firstID: String
    let pageObject: Int
    let pageDictionary: String
    let mediaBox: (Double, Double, Double, Double)
    /// Page 1 as the latest update left it (the original page when there is no update).
    var currentPageDictionary: String = ""
    /// Content streams and font entries of an invisible text layer on page 1 (`PDFTextLayer`),
    /// which a restamp keeps.
    var textLayerContents: [Int] = []
    var textLayerFonts: [String] = []

    /// `restamp`: a file with updates (stamp, text layer); `updated`: any update chain, page 1 as
    /// last updated (for a text layer).
    init(path: String, restamp: Bool = false, updated: Bool = false) throws {
        self = try Self.read(path: path, restamp: restamp || updated)
        if updated { try readUpdates(path: path) }
    }

    private init(size: Int, xrefOffset: Int, objectCount: Int, root: Int, info: Int?, firstID: String, pageObject: Int,
                 pageDictionary: String, mediaBox: (Double, Double, Double, Double)) {
        self.size = size
        self.xrefOffset = xrefOffset
        self.objectCount = objectCount
        self.root = root
        self.info = info
        self.firstID = firstID
        self.pageObject = pageObject
        self.pageDictionary = pageDictionary
        self.mediaBox = mediaBox
    }

    private static func read(path: String, restamp: Bool) throws -> OwnPDF {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImagingError.io(errno: errno, operation: "open", path: path)
        }
        defer { try? handle.close() }
        func read(at offset: Int, count: Int) throws -> String {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        func fail(_ why: String) -> ImagingError { ImagingError.unstampable("\(path): \(why)") }

        do {
            let size = Int(try handle.seekToEnd())
            guard size > 64 else { throw fail("too short for a PDF (\(size) bytes)") }
            guard try read(at: 0, count: 8).hasPrefix("%PDF-1.") else { throw fail("no %PDF-1.x header") }
            let tail = try read(at: max(0, size - 64), count: 64)
            guard let start = tail.range(of: "startxref", options: .backwards),
                  let latest = Int(tail[start.upperBound...].split(whereSeparator: \.isNewline).first ?? ""),
                  latest > 0, latest < size
            else { throw fail("no startxref at the end") }
            var offset = latest
            var latestSize: Int?
            if restamp {
                // Our updates (stamp, text layer, restamps): each trailer names the one before with
                // /Prev, down to the original table.
                func link(at start: Int) throws -> (prev: Int, size: Int)? {
                    let text = try read(at: start, count: min(size - start, 1 << 20))
                    guard text.hasPrefix("xref\n"), let t = text.range(of: "trailer") else { return nil }
                    let trailer = String(text[t.upperBound...]).components(separatedBy: "startxref")[0]
                    guard let prev = Self.integer(after: "/Prev", in: trailer), prev > 0, prev < start,
                          let declared = Self.integer(after: "/Size", in: trailer) else { return nil }
                    return (prev, declared)
                }
                guard let first = try link(at: latest) else {
                    throw fail("not stamped once by this program (no update with /Prev to restamp)")
                }
                latestSize = first.size
                offset = first.prev
                var hops = 0
                while let earlier = try link(at: offset), hops < 64 {
                    offset = earlier.prev
                    hops += 1
                }
            }

            let section = try read(at: offset, count: (restamp ? latest : size) - offset)
            guard section.hasPrefix("xref\n"), let trailerStart = section.range(of: "trailer") else {
                throw fail("not a classic xref table at \(offset) (written by another program?)")
            }
            let table = section[..<trailerStart.lowerBound].split(separator: "\n").map(String.init)
            guard table.count >= 3 else { throw fail("empty xref table") }
            let header = table[1].split(separator: " ")
            guard header.count == 2, header[0] == "0", let count = Int(header[1]), table.count == count + 2 else {
                throw fail("xref table is not one section starting at 0")
            }
            let offsets = table.dropFirst(2).map { Int($0.prefix(10)) ?? -1 }
            var trailer = String(section[trailerStart.upperBound...])
            if let end = trailer.range(of: "startxref") { trailer = String(trailer[..<end.lowerBound]) }
            guard !trailer.contains("/Prev") else {
                throw fail("already has an incremental update (stamped before?)")
            }
            guard let declared = Self.integer(after: "/Size", in: trailer), declared == count,
                  let root = Self.reference(after: "/Root", in: trailer), root < count
            else { throw fail("trailer without /Size or /Root") }
            let info = Self.reference(after: "/Info", in: trailer)
            let firstID = Self.firstID(in: trailer) ?? ""

            func object(_ number: Int) throws -> String {
                guard number > 0, number < offsets.count, offsets[number] > 0, offsets[number] < size else {
                    throw fail("object \(number) is not in the xref table")
                }
                let text = try read(at: offsets[number], count: min(8192, size - offsets[number]))
                guard text.hasPrefix("\(number) 0 obj"), let end = text.range(of: "endobj") else {
                    throw fail("object \(number) is not where the xref table says")
                }
                return String(text[text.index(text.startIndex, offsetBy: "\(number) 0 obj".count)..<end.lowerBound])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let pages = Self.reference(after: "/Pages", in: try object(root)) else { throw fail("catalog without /Pages") }
            let tree = try object(pages)
            guard let kids = tree.range(of: "/Kids ["), let first = Self.reference(after: "/Kids [", in: String(tree[kids.lowerBound...])) else {
                throw fail("page tree without kids")
            }
            let page = try object(first)
            guard page.hasPrefix("<<"), page.hasSuffix(">>"), page.contains("/Type /Page"),
                  Self.reference(after: "/Contents", in: page) != nil, page.contains("/Resources <<")
            else { throw fail("page 1 is not a page this program wrote") }
            guard let box = page.range(of: "/MediaBox ["), let close = page[box.upperBound...].firstIndex(of: "]") else {
                throw fail("page 1 without /MediaBox")
            }
            let numbers = page[box.upperBound..<close].split(separator: " ").compactMap { Double($0) }
            guard numbers.count == 4, numbers[2] > numbers[0], numbers[3] > numbers[1] else { throw fail("bad /MediaBox") }
            if let latestSize {
                // The original page 1 is redrawn with the new stamp; new objects follow the update's.
                return OwnPDF(size: size, xrefOffset: latest, objectCount: latestSize, root: root, info: info, firstID: firstID,
                              pageObject: first, pageDictionary: page, mediaBox: (numbers[0], numbers[1], numbers[2], numbers[3]))
            }
            return OwnPDF(size: size, xrefOffset: offset, objectCount: count, root: root, info: info, firstID: firstID,
                          pageObject: first, pageDictionary: page, mediaBox: (numbers[0], numbers[1], numbers[2], numbers[3]))
        } catch let error as ImagingError {
            throw error
        } catch {
            throw ImagingError.unstampable("\(path): \(error)")
        }
    }

    static func integer(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key + " ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// `N 0 R` after `key`.
    static func reference(after key: String, in text: String) -> Int? {
        guard let range = text.range(of: key) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        let parts = rest.split(separator: " ", maxSplits: 3)
        guard parts.count >= 3, parts[1] == "0", parts[2].hasPrefix("R"), let number = Int(parts[0]) else { return nil }
        return number
    }

    static func firstID(in trailer: String) -> String? {
        guard let range = trailer.range(of: "/ID [<"), let end = trailer[range.upperBound...].firstIndex(of: ">") else { return nil }
        return String(trailer[range.upperBound..<end])
    }
}
