public import Foundation
import GRDB

/// A delivered document whose local copy may be removed.
public struct RetentionCandidate: Sendable, Equatable {
    public var id: String
    public var book: String
    public var year: Int
    public var number: Int
    public var secrecy: Secrecy
    /// Absolute path of the local PDF.
    public var path: String
    /// When the last target confirmed receipt.
    public var deliveredAt: Date
    /// The removal is already in the audit chain (an earlier sweep stopped before deleting).
    public var alreadyRecorded: Bool
}

extension Register {
    // MARK: - retention of local copies

    /// Audit action of a local copy removed by retention. Recovery does not void a document
    /// whose file is gone when this entry says why.
    static let retentionAction = "retention-remove"

    /// Registered documents delivered to every target before the cut-off of their kind, whose
    /// local PDF is still there. `classifiedBefore` nil keeps classified copies indefinitely.
    public func retentionCandidates(deliveredBefore: Date, classifiedBefore: Date?) throws -> [RetentionCandidate] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.book, d.year, d.number, d.secrecy, d.path, MAX(o.deliveredAtMs) AS deliveredAtMs,
                       EXISTS(SELECT 1 FROM audit a WHERE a.documentID = d.id AND a.action = ?) AS recorded
                FROM document d JOIN outbox o ON o.documentID = d.id
                WHERE d.state = 'registered' AND d.path != ''
                GROUP BY d.id
                HAVING SUM(o.state != 'delivered') = 0
                ORDER BY d.book, d.year, d.number
                """, arguments: [Self.retentionAction])
        }
        let fm = FileManager.default
        var candidates: [RetentionCandidate] = []
        for row in rows {
            let secrecy = Secrecy(stored: row["secrecy"])
            let delivered = Millis.date(row["deliveredAtMs"])
            let cutoff = secrecy.isClassified ? classifiedBefore : deliveredBefore
            guard let cutoff, delivered < cutoff else { continue }
            let path = files.absolute(row["path"])
            guard fm.fileExists(atPath: path) else { continue }
            candidates.append(RetentionCandidate(
                id: row["id"], book: row["book"], year: row["year"], number: row["number"], secrecy: secrecy,
                path: path, deliveredAt: delivered, alreadyRecorded: row["recorded"]))
        }
        return candidates
    }

    /// Removes a candidate's local PDF: first the audit entry (so a crash in between leaves a
    /// file that the next sweep removes, never a missing file recovery would void), then the file.
    public func removeLocalCopy(_ candidate: RetentionCandidate, reason: String) throws {
        if !candidate.alreadyRecorded {
            try write { db in
                guard let record = try DocumentRecord.fetchOne(db, key: candidate.id) else {
                    throw RegistryError.notFound(candidate.id)
                }
                try appendAudit(db, action: Self.retentionAction, record: record, now: clock.now(), detail: [
                    "path": record.path, "deliveredAt": String(Millis.of(candidate.deliveredAt)), "reason": Text.nfc(reason),
                ])
            }
        }
        try files.remove(candidate.path)
        try DocumentFiles.fsync(DocumentFiles.directory(of: candidate.path))
    }

    /// Documents whose local copy retention removed (their rows stay in the register).
    func retainedIDs() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(
                db, sql: "SELECT DISTINCT documentID FROM audit WHERE action = ?", arguments: [Self.retentionAction]))
        }
    }
}
