import Foundation
import GRDB

extension Register {
    /// Registered documents whose marks check is still `pending`, oldest first: what the header
    /// stage reads (after a restart too — nothing else remembers them).
    public func pendingMarksChecks() throws -> [RegisteredDocument] {
        try documents(withMarksCheck: .pending)
    }

    /// Registered documents whose marks check stands at `state`, oldest first.
    public func documents(withMarksCheck state: MarksCheck) throws -> [RegisteredDocument] {
        try read { db in
            try DocumentRecord
                .filter(Column("marksCheck") == state.rawValue && Column("state") == "registered")
                .order(Column("arrivedAtMs"), Column("number"))
                .fetchAll(db).map { $0.document(in: files.root) }
        }
    }

    /// Ends a marks check (audited, as `setMarksCheck`). The document's pending deliveries that the
    /// release gate postponed while it waited fall due now, so the gate decides at once (sends, or
    /// holds with its reason) instead of after a recheck interval. Deliveries held with one of
    /// `releasingHeld` (the gate's own reasons for a flagged check, when the clerk dismissed the
    /// mark) go back to pending; any other hold stays.
    public func finishMarksCheck(documentID: String, _ state: MarksCheck, detail: String, releasingHeld reasons: Set<String> = []) throws {
        try setMarksCheck(documentID: documentID, state, detail: detail)
        let now = Millis.of(clock.now())
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET nextAttemptAtMs = ? WHERE documentID = ? AND state = 'pending' AND nextAttemptAtMs > ?",
                arguments: [now, documentID, now])
            for reason in reasons {
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'pending', heldReason = NULL, nextAttemptAtMs = ?
                        WHERE documentID = ? AND state = 'held' AND heldReason = ?
                        """,
                    arguments: [now, documentID, Text.nfc(reason)])
            }
        }
    }
}
