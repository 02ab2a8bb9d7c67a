import Foundation
import GRDB

/// A number known to have been given somewhere (a document file, a sidecar, the centre's
/// receipts), and where it was seen.
public struct KnownNumber: Sendable, Equatable, Codable {
    public var book: String
    public var year: Int
    public var number: Int
    public var source: String

    public init(book: String, year: Int, number: Int, source: String) {
        self.book = book
        self.year = year
        self.number = number
        self.source = source
    }
}

extension Register {
    // MARK: - numbering after a restore

    /// After a restore: for every book and year where a number higher than the register's last
    /// is known elsewhere, writes voided entries for every number up to it, each with `reason`
    /// and the source that proves the number was given. Numbering then continues after the
    /// highest known number: a number given after the backup is never given again.
    /// Returns the voided entries' ids.
    public func continueNumbering(after known: [KnownNumber], reason: String) throws -> [String] {
        let reason = Text.nfc(reason)
        guard !reason.isEmpty else {
            throw RegistryError.invalidField("Phải ghi lý do hủy.", detail: "empty void reason")
        }
        var highest: [String: KnownNumber] = [:]
        for entry in known {
            let key = "\(entry.book)\u{1F}\(entry.year)"
            if entry.number > (highest[key]?.number ?? 0) { highest[key] = entry }
        }
        return try write { db in
            var ids: [String] = []
            for entry in highest.values.sorted(by: { ($0.book, $0.year) < ($1.book, $1.year) }) {
                let last = try Int.fetchOne(
                    db, sql: "SELECT MAX(number) FROM document WHERE book = ? AND year = ?",
                    arguments: [entry.book, entry.year]) ?? 0
                guard entry.number > last else { continue }
                for number in (last + 1)...entry.number {
                    let uuid = UUID().uuidString.lowercased()
                    let id = documentID(book: entry.book, year: entry.year, number: number, uuid: uuid)
                    let now = clock.now()
                    let record = DocumentRecord(
                        id: id, uuid: uuid, book: entry.book, year: entry.year, number: number,
                        arrivedAtMs: Millis.of(now), pages: 0, sha256: "", path: "", profile: "restore-gap",
                        urgency: Urgency.normal.stored, secrecy: Secrecy.none.stored, state: "voided",
                        voidReason: "\(reason) (số cao nhất đã biết: \(entry.number), theo \(entry.source))")
                    try record.insert(db)
                    try appendAudit(db, action: "restore-gap", record: record, now: now, detail: [
                        "number": String(number), "highestKnown": String(entry.number), "source": entry.source,
                    ])
                    ids.append(id)
                }
            }
            return ids
        }
    }
}
