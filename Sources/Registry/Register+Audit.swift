import Foundation
import GRDB

extension Register {
    // MARK: - audit chain

    /// Appends an entry chained to the previous one, carrying the hash of the row as it now is.
    func appendAudit(_ db: Database, action: String, record: DocumentRecord, now: Date, detail: [String: String]) throws {
        let last = try AuditRecord.order(AuditRecord.Columns.seq.desc).fetchOne(db)
        let seq = (last?.seq ?? 0) + 1
        let prevHash = last?.hash ?? AuditRecord.genesis
        let detailText: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            detailText = String(decoding: try encoder.encode(detail), as: UTF8.self)
        }
        let atMs = Millis.of(now)
        let rowHash = record.snapshotHash
        let entry = AuditRecord(
            seq: seq, atMs: atMs, action: action, documentID: record.id, detail: detailText,
            rowHash: rowHash, prevHash: prevHash,
            hash: AuditRecord.computeHash(
                seq: seq, atMs: atMs, action: action, documentID: record.id, detail: detailText,
                rowHash: rowHash, prevHash: prevHash))
        try entry.insert(db)
    }

    /// Walks the chain from the first entry; reports the first entry whose hash or link is wrong,
    /// or a document row that no longer matches its latest audit entry (changed behind the
    /// chain's back), or a row with no audit entry at all.
    public func verifyAuditChain() throws -> AuditVerification {
        try read { db in
            var result = AuditVerification(entriesChecked: 0)
            var expectedPrev = AuditRecord.genesis
            var expectedSeq: Int64 = 1
            var latest: [String: AuditRecord] = [:]
            let cursor = try AuditRecord.order(AuditRecord.Columns.seq).fetchCursor(db)
            while let entry = try cursor.next() {
                result.entriesChecked += 1
                if entry.seq != expectedSeq {
                    result.add("audit entry #\(expectedSeq) is missing (next found is #\(entry.seq))", entry: entry.seq, documentID: entry.documentID)
                }
                if entry.prevHash != expectedPrev {
                    result.add("audit entry #\(entry.seq) does not link to the entry before it", entry: entry.seq, documentID: entry.documentID)
                }
                if entry.hash != entry.expectedHash {
                    result.add("audit entry #\(entry.seq) (\(entry.action) \(entry.documentID)) was altered", entry: entry.seq, documentID: entry.documentID)
                }
                // Walk on from what is stored, so a later alteration is found too.
                expectedPrev = entry.hash
                expectedSeq = entry.seq + 1
                latest[entry.documentID] = entry
            }
            let rows = try DocumentRecord.order(DocumentRecord.registerOrder).fetchCursor(db)
            var seen = Set<String>()
            while let row = try rows.next() {
                seen.insert(row.id)
                guard let entry = latest[row.id] else {
                    result.add("document \(row.id) (số \(row.number) sổ \(row.book) năm \(row.year)) has no audit entry", entry: nil, documentID: row.id)
                    continue
                }
                if entry.rowHash != row.snapshotHash {
                    result.add("document \(row.id) (số \(row.number) sổ \(row.book) năm \(row.year)) "
                                   + "differs from audit entry #\(entry.seq): changed outside the register", entry: entry.seq, documentID: row.id)
                }
            }
            for (id, entry) in latest.sorted(by: { $0.value.seq < $1.value.seq }) where !seen.contains(id) {
                result.add("document \(id) named by audit entry #\(entry.seq) was deleted", entry: entry.seq, documentID: id)
            }
            return result
        }
    }
}
