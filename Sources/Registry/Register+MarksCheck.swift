import Foundation
import GRDB

extension Register {
    /// Registered documents whose marks check is still `pending`, oldest first: what the header
    /// stage reads (after a restart too — nothing else remembers them).
    public func pendingMarksChecks() throws -> [RegisteredDocument] {
        try read { db in
            try DocumentRecord
                .filter(Column("marksCheck") == MarksCheck.pending.rawValue && Column("state") == "registered")
                .order(Column("arrivedAtMs"), Column("number"))
                .fetchAll(db).map { $0.document(in: files.root) }
        }
    }

    /// Ends a marks check (audited, as `setMarksCheck`); when it passed, the document's pending
    /// deliveries that the release gate postponed while it waited fall due now, so the wait for the
    /// check costs no extra recheck interval.
    public func finishMarksCheck(documentID: String, _ state: MarksCheck, detail: String) throws {
        try setMarksCheck(documentID: documentID, state, detail: detail)
        guard state == .passed else { return }
        let now = Millis.of(clock.now())
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET nextAttemptAtMs = ? WHERE documentID = ? AND state = 'pending' AND nextAttemptAtMs > ?",
                arguments: [now, documentID, now])
        }
    }
}
