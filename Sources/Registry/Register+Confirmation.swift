import IntakeCore
import Foundation
import GRDB

// MARK: - confirmation of provisional numbers (T-numbers)

extension Register {
    /// Gives provisional entry T-`seq` its final number from the centre: refused if the number is
    /// already in the book or inside one of this box's blocks, or if earlier T-numbers are still
    /// unconfirmed (arrival order). The PDF is copied, re-stamped with the final number by an
    /// appended incremental update, hashed, and swapped in after the commit; the entry's
    /// undelivered outbox rows are released. Audited as "confirm" (old and new number, both sha256).
    /// Confirming again with the same number returns the entry unchanged.
    public func confirmProvisional(book: String, year: Int, seq: Int, finalNumber: Int) throws -> RegisteredDocument {
        try RegisterLock(documentsDirectory: configuration.documentsDirectory).shared {
            try confirmLocked(book: book, year: year, seq: seq, finalNumber: finalNumber)
        }
    }

    private func confirmLocked(book: String, year: Int, seq: Int, finalNumber: Int) throws -> RegisteredDocument {
        if let problem = identityCheck() { throw problem }
        guard finalNumber >= 1 else {
            throw RegistryError.invalidField("Số chính thức phải từ 1 trở lên.", detail: "final number \(finalNumber)")
        }
        let found: (String, Int?) = try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT documentID, finalNumber FROM provisional WHERE book = ? AND year = ? AND seq = ?",
                arguments: [book, year, seq])
            else { throw RegistryError.notFound("số tạm T-\(seq) sổ \(book) năm \(year)") }
            return (row["documentID"], row["finalNumber"])
        }
        let (documentID, already) = found
        if let already {
            guard already == finalNumber else {
                throw RegistryError(
                    .duplicate, "Số tạm T-\(seq) đã được xác nhận là số \(already), không đổi thành \(finalNumber).",
                    detail: "T-\(seq) in \(book)/\(year) confirmed as \(already), asked \(finalNumber)")
            }
            guard let document = try document(id: documentID) else { throw RegistryError.notFound(documentID) }
            return document
        }
        guard let current = try read({ db in try DocumentRecord.fetchOne(db, key: documentID) }) else {
            throw RegistryError.notFound(documentID)
        }
        // Checked before the re-stamp (no work for a refused number) and again in the transaction.
        try read { db in try checkConfirmation(db, book: book, year: year, seq: seq, finalNumber: finalNumber) }
        let pending = files.pendingPDF(current.uuid)
        let hasFile = !current.path.isEmpty && FileManager.default.fileExists(atPath: files.absolute(current.path))
        var stampedSHA: String?
        if hasFile, let restamper = stamper as? any DocumentRestamper {
            guard let data = FileManager.default.contents(atPath: files.absolute(current.path)) else {
                throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "read \(current.path)")
            }
            try files.writeDurably(data, to: pending)
            do {
                try restamper.restamp(pdfAt: pending, entry: StampEntry(
                    book: book, year: year, number: finalNumber, arrivedAt: Millis.date(current.arrivedAtMs),
                    timeZone: configuration.timeZone, secrecy: Secrecy(stored: current.secrecy),
                    urgency: Urgency.fromStored(current.urgency) ?? .normal, fields: current.fields))
                try DocumentFiles.fsync(pending)
                stampedSHA = try Hashing.file(pending)
            } catch {
                try? files.remove(pending)
                if let error = error as? RegistryError { throw error }
                throw RegistryError(
                    .stamp, "Không đóng lại được dấu ĐẾN với số chính thức — gọi kỹ thuật viên.",
                    detail: "restamp \(pending): \(error)")
            }
        }
        let record: DocumentRecord
        do {
            record = try write { db in
                var record = try DocumentRecord.fetchOne(db, key: documentID) ?? current
                guard record.number == -seq else {
                    throw RegistryError(.invalidState, "Số tạm T-\(seq) đã thay đổi.", detail: "\(documentID) number \(record.number)")
                }
                try checkConfirmation(db, book: book, year: year, seq: seq, finalNumber: finalNumber)
                let oldSHA = record.sha256
                record.number = finalNumber
                if let stampedSHA { record.sha256 = stampedSHA }
                try record.update(db)
                let now = clock.now()
                try db.execute(
                    sql: "UPDATE provisional SET finalNumber = ?, confirmedAtMs = ? WHERE documentID = ?",
                    arguments: [finalNumber, Millis.of(now), documentID])
                try db.execute(
                    sql: """
                        UPDATE outbox SET state = 'pending', heldReason = NULL, nextAttemptAtMs = ?
                        WHERE documentID = ? AND state = 'held' AND heldReason = ?
                        """,
                    arguments: [Millis.of(now), documentID, Self.provisionalHold(-seq)])
                var detail = [
                    "provisional": "T-\(seq)", "number": String(finalNumber), "book": book, "year": String(year),
                    "sha256": record.sha256,
                ]
                if stampedSHA != nil { detail["provisional_sha256"] = oldSHA }
                try appendAudit(db, action: "confirm", record: record, now: now, detail: detail)
                return record
            }
        } catch {
            if stampedSHA != nil { try? files.remove(pending) }
            throw error
        }
        openedFiles?.noteWAL()
        noteGiven(book: book, year: year, number: finalNumber)
        try? checkpoint()
        if stampedSHA != nil {
            do {
                try DocumentFiles.rename(pending, files.absolute(record.path))
                try DocumentFiles.fsync(DocumentFiles.directory(of: files.absolute(record.path)))
            } catch let error as RegistryError {
                throw RegistryError(
                    .storage, "Đã xác nhận số \(finalNumber) nhưng chưa thay được tệp; gọi kỹ thuật viên.",
                    detail: "\(record.id): \(error.detail)")
            }
        }
        return record.document(in: files.root)
    }
}

extension Register {
    /// Why T-`seq` may not become `finalNumber`: earlier T-numbers unconfirmed (arrival order),
    /// the number already in the book, or inside one of the box's own blocks.
    func checkConfirmation(_ db: Database, book: String, year: Int, seq: Int, finalNumber: Int) throws {
        if let earlier = try Int.fetchOne(
            db, sql: "SELECT MIN(seq) FROM provisional WHERE book = ? AND year = ? AND finalNumber IS NULL",
            arguments: [book, year]), earlier < seq
        {
            throw RegistryError(
                .outOfOrder, "Phải xác nhận số tạm T-\(earlier) trước T-\(seq) (theo thứ tự đến).",
                detail: "confirm T-\(seq) before T-\(earlier) in \(book)/\(year)")
        }
        if try Int.fetchOne(
            db, sql: "SELECT 1 FROM document WHERE book = ? AND year = ? AND number = ?",
            arguments: [book, year, finalNumber]) != nil
        {
            throw RegistryError(
                .duplicate, "Số \(finalNumber) sổ \(book) năm \(year) đã có trong sổ; không cấp trùng.",
                detail: "confirm T-\(seq) as \(finalNumber): duplicate")
        }
        if let block = try blocks(db, book: book, year: year).first(where: { $0.contains(finalNumber) }) {
            throw RegistryError(
                .duplicate, "Số \(finalNumber) thuộc khối số của máy (\(block.first)–\(block.last)); không nhận.",
                detail: "confirm T-\(seq) as \(finalNumber): inside own lease \(block.first)...\(block.last)")
        }
    }
}
