import Foundation
public import Registry
public import Delivery

/// Numbers given by this box that a register restored from a backup may not know: they are read
/// from the file names of document PDFs (`<org>-<book>-<year>-<number>-<uuid8>.pdf`), from the
/// JSON written beside each PDF by directory targets, from a register file, and from the
/// centre's list of received documents.
public struct KnownNumbers: Sendable {
    public let organisationCode: String

    public init(organisationCode: String) {
        self.organisationCode = organisationCode
    }

    /// Book, year and number from a document id or a PDF/JSON file name; nil if it is not ours.
    public func parse(documentID name: String) -> (book: String, year: Int, number: Int)? {
        var base = name
        for suffix in [".pdf", ".json"] where base.hasSuffix(suffix) { base = String(base.dropLast(suffix.count)) }
        let parts = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 5 else { return nil }
        let count = parts.count
        let organisation = parts[0..<(count - 4)].joined(separator: "-")
        guard organisation == organisationCode, let year = Int(parts[count - 3]), let number = Int(parts[count - 2]),
              number >= 1, !parts[count - 4].isEmpty
        else { return nil }
        return (parts[count - 4], year, number)
    }

    /// Document PDFs under a documents directory (`YYYY/*.pdf` and `.pending/`).
    public func fromDocumentFiles(_ directory: String, source: String) -> [KnownNumber] {
        let fm = FileManager.default
        var found: [KnownNumber] = []
        for year in ((try? fm.contentsOfDirectory(atPath: directory)) ?? []) where Int(year) != nil {
            for name in (try? fm.contentsOfDirectory(atPath: directory + "/" + year)) ?? [] {
                if let n = parse(documentID: name) {
                    found.append(KnownNumber(book: n.book, year: n.year, number: n.number, source: "\(source) \(year)/\(name)"))
                }
            }
        }
        return found
    }

    /// The JSON files a directory target wrote (`<documentID>.json` holding the metadata).
    public func fromDirectoryTarget(_ directory: String, name: String) -> [KnownNumber] {
        let fm = FileManager.default
        var found: [KnownNumber] = []
        for file in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where file.hasSuffix(".json") {
            guard let data = fm.contents(atPath: directory + "/" + file),
                  let metadata = try? JSONDecoder().decode(DocumentMetadata.self, from: data),
                  metadata.organisationCode == organisationCode
            else { continue }
            found.append(KnownNumber(book: metadata.book, year: metadata.year, number: metadata.number,
                                     source: "target \(name): \(directory)/\(file)"))
        }
        return found
    }

    /// A register file's last numbers.
    public func fromRegister(_ path: String, source: String) -> [KnownNumber] {
        guard FileManager.default.fileExists(atPath: path), let last = try? Register.lastNumbers(ofDatabase: path) else { return [] }
        return last.map { KnownNumber(book: $0.book, year: $0.year, number: $0.number, source: source) }
    }

    /// What the centre says it received from this organisation.
    public func fromCentre(_ listing: CentreListing, name: String) async throws -> [KnownNumber] {
        try await listing.documents().filter { $0.organisationCode == organisationCode }.map {
            KnownNumber(book: $0.book, year: $0.year, number: $0.number, source: "receipts of target \(name) (\($0.documentID))")
        }
    }
}
