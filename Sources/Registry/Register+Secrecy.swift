import IntakeCore
public import Foundation
import GRDB

extension Register {
    // MARK: - secrecy correction

    /// Corrects the secrecy of an entry after registration, in either direction: an ordinary
    /// entry raised to a grade (the clerk saw "MẬT" on the paper too late), or a classified
    /// entry lowered to ordinary (registered MẬT by mistake). In one transaction the entry is
    /// voided with the reason, its deliveries are held, and the document is registered again in
    /// the other book as `replacement` describes (sealed or no file when raised, its plain pages
    /// when lowered). Refused once any target has received the document, or when the clock has
    /// passed `deadline` (the end of the hold window).
    ///
    /// The ordinary entry's plain file is destroyed after the commit; recovery finishes that if
    /// the box stops in between.
    public func reclassify(
        book: String, year: Int, number: Int, to secrecy: Secrecy, reason: String,
        replacement: NewDocument, deadline: Date
    ) throws -> RegisteredDocument {
        let reason = Text.nfc(reason)
        guard !reason.isEmpty else {
            throw RegistryError.invalidField("Phải ghi lý do đổi độ mật.", detail: "empty reclassify reason")
        }
        guard replacement.secrecy == secrecy, secrecy.isClassified || replacement.storage == .plain else {
            throw RegistryError.invalidField("Độ mật mới không khớp với bản đăng ký lại.",
                                             detail: "reclassify to \(secrecy), replacement \(replacement.secrecy) stored \(replacement.storage)")
        }
        // First, alone: the deliveries stop before any file work, so a crash or a full disk
        // from here on leaves the document held on the box, never on its way out.
        try holdForReclassification(book: book, year: year, number: number, to: secrecy, reason: reason, deadline: deadline)
        return try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared {
            let replacement = try validated(replacement)
            let kept = replacement.storage != .none
            let sidecar = Sidecar(
                uuid: UUID().uuidString.lowercased(), document: replacement,
                sha256: kept ? try files.seal(staged: replacement.stagedFile) : "", stagedAtMs: Millis.of(clock.now()))
            if kept { try files.stage(sidecar) }
            let (old, new): (DocumentRecord, DocumentRecord)
            do {
                (old, new) = try write { db in
                    try reclassifyInTransaction(db, book: book, year: year, number: number, secrecy: secrecy,
                                                reason: reason, sidecar: sidecar)
                }
            } catch {
                if kept { try? files.unstage(sidecar) }
                throw error
            }
            noteNumberGiven(new)
            if kept { try files.finish(uuid: new.uuid, relativePath: new.path) }
            if !old.path.isEmpty { try files.remove(files.absolute(old.path)) }
            return new.document(in: files.root)
        }
    }

    /// The first step of a correction, on its own: checks that the correction is still allowed
    /// (registered, ordinary, inside `deadline`, delivered nowhere) and holds every delivery of
    /// the document. Repeating it is harmless. Call it before slow work (sealing a copy) so the
    /// hold window cannot run out in between.
    public func holdForReclassification(book: String, year: Int, number: Int, to secrecy: Secrecy, reason: String, deadline: Date) throws {
        try write { db in
            let old = try reclassifiable(db, book: book, year: year, number: number, to: secrecy)
            let now = clock.now()
            guard now < deadline else {
                throw RegistryError(.invalidState,
                                    "Đã hết thời gian chờ trước khi gửi; không đổi độ mật được nữa — báo người phụ trách.",
                                    detail: "reclassify of \(old.id) after the hold window ended at \(deadline.formatted(.iso8601))")
            }
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'held', heldReason = ?
                    WHERE documentID = ? AND state IN ('pending', 'needsAttention', 'corrupt')
                    """,
                arguments: ["Đang đổi độ mật thành \(Self.secrecyLabel(secrecy)): \(Text.nfc(reason))", old.id])
        }
    }

    /// "MẬT", "TỐI MẬT"… or "văn bản thường" for ordinary: what a correction changes to.
    static func secrecyLabel(_ secrecy: Secrecy) -> String { secrecy == .none ? "văn bản thường" : secrecy.displayName }

    /// The entry a correction to `secrecy` applies to, refused when it is voided, already of that
    /// kind (ordinary raised, classified lowered) or delivered.
    private func reclassifiable(_ db: Database, book: String, year: Int, number: Int, to secrecy: Secrecy) throws -> DocumentRecord {
        let old = try existing(db, book: book, year: year, number: number)
        guard old.state == "registered" else {
            throw RegistryError(.alreadyVoided, "Số \(number) sổ \(book) năm \(year) đã bị hủy, không đổi độ mật được.",
                                detail: "reclassify of voided \(old.id)")
        }
        guard (old.secrecy == Secrecy.none.stored) == secrecy.isClassified else {
            throw RegistryError(.invalidState,
                                secrecy.isClassified ? "Văn bản số \(number) đã ở sổ mật, không đổi lại được."
                                                     : "Văn bản số \(number) đã là văn bản thường.",
                                detail: "reclassify of \(old.id) with secrecy \(old.secrecy) to \(secrecy.rawValue)")
        }
        let delivered = try String.fetchAll(
            db, sql: "SELECT target FROM outbox WHERE documentID = ? AND state = 'delivered'", arguments: [old.id])
        guard delivered.isEmpty else {
            throw RegistryError(.invalidState,
                                "Văn bản số \(number) đã gửi tới \(delivered.joined(separator: ", ")); không đổi độ mật được nữa.",
                                detail: "reclassify of \(old.id): already delivered to \(delivered)")
        }
        return old
    }

    private func reclassifyInTransaction(
        _ db: Database, book: String, year: Int, number: Int, secrecy: Secrecy, reason: String, sidecar: Sidecar
    ) throws -> (DocumentRecord, DocumentRecord) {
        var old = try reclassifiable(db, book: book, year: year, number: number, to: secrecy)
        let now = clock.now()
        let voidReason = "Đổi độ mật thành \(Self.secrecyLabel(secrecy)): \(reason)"
        old.state = "voided"
        old.voidReason = voidReason
        // The old copy of the pages is destroyed: nobody may expect it any more.
        old.storage = DocumentStorage.none.stored
        try old.update(db)
        try db.execute(
            sql: """
                UPDATE outbox SET state = 'held', heldReason = ?
                WHERE documentID = ? AND state IN ('pending', 'held', 'needsAttention', 'corrupt')
                """,
            arguments: [voidReason, old.id])
        let new = try insert(db, sidecar: sidecar, action: "reclassify-register")
        try appendAudit(db, action: "reclassify", record: old, now: now, detail: [
            "reason": reason, "secrecy": secrecy.stored, "replacement": new.id,
        ])
        return (old, new)
    }

    /// What every registration does after its commit: the number is noted outside SQLite too
    /// (register identity) and the WAL checkpointed.
    func noteNumberGiven(_ record: DocumentRecord) {
        openedFiles?.noteWAL()
        noteGiven(book: record.book, year: record.year, number: record.number)
        try? checkpoint()
    }

    // MARK: - release gate support

    /// Moves a pending delivery's next attempt to `date` without counting an attempt (the release
    /// gate said "not yet").
    public func postpone(outboxID: Int64, until date: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET nextAttemptAtMs = ? WHERE id = ? AND state = 'pending'",
                arguments: [Millis.of(date), outboxID])
        }
    }

    /// Whether a delivery may still go: its row is pending and its document registered. Read just
    /// before an upload starts, so a correction committed since the queue was read stops it.
    public func isStillDeliverable(outboxID: Int64) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT o.state = 'pending' AND d.state = 'registered'
                    FROM outbox o JOIN document d ON d.id = o.documentID WHERE o.id = ?
                    """,
                arguments: [outboxID]) ?? false
        }
    }

    /// Records the outcome of the check of the page's own secrecy marks (audited).
    public func setMarksCheck(documentID: String, _ state: MarksCheck, detail: String) throws {
        try write { db in
            guard var record = try DocumentRecord.fetchOne(db, key: documentID) else {
                throw RegistryError.notFound("văn bản \(documentID)")
            }
            record.marksCheck = state.stored
            try record.update(db)
            try appendAudit(db, action: "marks-check", record: record, now: clock.now(),
                            detail: ["state": state.stored, "detail": detail])
        }
    }
}
