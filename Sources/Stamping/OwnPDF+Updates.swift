internal import Foundation
internal import Imaging

extension OwnPDF {
    /// The first line of a text layer's content stream: how a restamp knows the layer's streams.
    static let textLayerMarker = "% intake text layer"
    /// Prefix of a text layer's font resource name (the stamp's is "FStamp").
    static let textLayerFontPrefix = "/FText"

    /// Follows the updates' xref tables (newest first) to page 1 as it stands now and the parts
    /// of a text layer on it.
    mutating func readUpdates(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImagingError.io(errno: errno, operation: "open", path: path)
        }
        defer { try? handle.close() }
        func read(at offset: Int, count: Int) throws -> String {
            try handle.seek(toOffset: UInt64(offset))
            return String(decoding: try handle.read(upToCount: count) ?? Data(), as: UTF8.self)
        }
        func fail(_ why: String) -> ImagingError { ImagingError.unstampable("\(path): \(why)") }
        do {
            var offsets: [Int: Int] = [:]
            var section = xrefOffset
            var hops = 0
            while hops < 64 {
                let text = try read(at: section, count: min(size - section, 1 << 20))
                guard text.hasPrefix("xref\n"), let t = text.range(of: "trailer") else { throw fail("no xref table at \(section)") }
                var lines = text[..<t.lowerBound].split(separator: "\n").dropFirst().makeIterator()
                while let header = lines.next() {
                    let parts = header.split(separator: " ")
                    guard parts.count == 2, let start = Int(parts[0]), let count = Int(parts[1]) else { throw fail("bad xref subsection") }
                    for number in start..<(start + count) {
                        guard let entry = lines.next() else { throw fail("short xref subsection") }
                        if offsets[number] == nil, entry.hasSuffix("n") || entry.hasSuffix("n "), let at = Int(entry.prefix(10)) {
                            offsets[number] = at
                        }
                    }
                }
                let trailer = String(text[t.upperBound...]).components(separatedBy: "startxref")[0]
                guard let prev = Self.integer(after: "/Prev", in: trailer) else { break }
                guard prev > 0, prev < section else { throw fail("/Prev \(prev) does not point back") }
                section = prev
                hops += 1
            }
            func object(_ number: Int) throws -> String {
                guard let at = offsets[number], at > 0, at < size else { throw fail("object \(number) is not in the xref tables") }
                let text = try read(at: at, count: min(1 << 16, size - at))
                guard text.hasPrefix("\(number) 0 obj"), let end = text.range(of: "endobj") else {
                    throw fail("object \(number) is not where the xref table says")
                }
                return String(text[text.index(text.startIndex, offsetBy: "\(number) 0 obj".count)..<end.lowerBound])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let page = try object(pageObject)
            guard page.hasPrefix("<<"), page.contains("/Type /Page"), page.contains("/Resources <<") else {
                throw fail("page 1 as updated is not a page this program wrote")
            }
            currentPageDictionary = page
            textLayerContents = try Self.contentReferences(in: page).filter { number in
                let stream = try object(number)
                guard let start = stream.range(of: "stream") else { return false }
                return stream[start.upperBound...].drop { $0.isNewline }.hasPrefix(Self.textLayerMarker)
            }
            textLayerFonts = Self.fontEntries(in: page).filter { $0.hasPrefix(Self.textLayerFontPrefix) }
        } catch let error as ImagingError {
            throw error
        } catch {
            throw ImagingError.unstampable("\(path): \(error)")
        }
    }

    /// The objects of a page's /Contents (one reference or an array of them).
    static func contentReferences(in page: String) -> [Int] {
        guard let range = page.range(of: "/Contents") else { return [] }
        let rest = page[range.upperBound...].drop { $0 == " " }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            let parts = rest[rest.index(after: rest.startIndex)..<close].split(separator: " ")
            return stride(from: 0, to: parts.count - 2, by: 3).compactMap { i in
                parts[i + 1] == "0" && parts[i + 2] == "R" ? Int(parts[i]) : nil
            }
        }
        return reference(after: "/Contents", in: page).map { [$0] } ?? []
    }

    /// "/Name N 0 R" entries of a page's /Font dictionary.
    static func fontEntries(in page: String) -> [String] {
        guard let range = page.range(of: "/Font <<"), let close = page[range.upperBound...].range(of: ">>") else { return [] }
        let parts = page[range.upperBound..<close.lowerBound].split(separator: " ")
        return stride(from: 0, to: parts.count - 3, by: 4).compactMap { i in
            parts[i].hasPrefix("/") && parts[i + 2] == "0" && parts[i + 3] == "R" ? "\(parts[i]) \(parts[i + 1]) 0 R" : nil
        }
    }
}
