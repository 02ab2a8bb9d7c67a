import Foundation
import GRDB

extension Register {
    // MARK: - recovery at start-up

    /// Finishes or voids whatever a crash left in flight. Nothing is lost, nothing numbered twice:
    /// - a sidecar + PDF without a row is registered now (it never got a number);
    /// - a row whose PDF is still in `.pending/` has the move finished;
    /// - a row whose PDF is gone is voided with a reason;
    /// - a number missing from a book's sequence gets a voided entry saying so;
    /// - temporary files are removed; PDFs no row names are reported, not touched.
    ///
    /// Run it at start-up, before anyone registers: a registration in flight in another process
    /// looks exactly like one a crash left behind.
    public func recover() throws -> RecoveryReport {
        try RegisterLock(documentsDirectory: configuration.documentsDirectory).exclusive { try recoverLocked() }
    }

    private func recoverLocked() throws -> RecoveryReport {
        var report = RecoveryReport()
        let fm = FileManager.default
        let pending = (try? fm.contentsOfDirectory(atPath: files.pendingDirectory)) ?? []

        for name in pending where name.hasSuffix(".tmp") || name.hasPrefix(".") {
            try files.remove(files.pendingDirectory + "/" + name)
            report.tempFilesRemoved.append(files.pendingDirectory + "/" + name)
        }

        // Sidecars: registrations that were in flight.
        var handled = Set<String>()
        for name in pending.sorted() where name.hasSuffix(".json") {
            let uuid = String(name.dropLast(5))
            handled.insert(uuid)
            let path = files.sidecar(uuid)
            guard let data = fm.contents(atPath: path),
                  let sidecar = try? JSONDecoder().decode(Sidecar.self, from: data)
            else {
                report.unknownFiles.append(path)
                continue
            }
            if let record = try row(uuid: uuid) {
                try finishMove(record, report: &report)
                continue
            }
            if !fm.fileExists(atPath: files.pendingPDF(uuid)) {
                // Crashed between writing the sidecar and moving the PDF: the caller's file may still be there.
                let staged = sidecar.document.stagedFile
                if fm.fileExists(atPath: staged), (try? Hashing.file(staged)) == sidecar.sha256 {
                    try DocumentFiles.rename(staged, files.pendingPDF(uuid))
                    try DocumentFiles.fsync(files.pendingDirectory)
                } else {
                    try files.remove(path)
                    try DocumentFiles.fsync(files.pendingDirectory)
                    report.abandoned.append(path)
                    continue
                }
            }
            // A stamp appended for a number that was never committed comes off first.
            try files.restoreUnstamped(sidecar)
            let record = try write { db in try insert(db, sidecar: sidecar, action: "recover-register") }
            noteGiven(book: record.book, year: record.year, number: record.number)
            try files.finish(uuid: uuid, relativePath: record.path)
            report.registered.append(record.id)
        }

        // PDFs in .pending without a sidecar (should not happen: the sidecar is written first).
        for name in pending.sorted() where name.hasSuffix(".pdf") {
            let uuid = String(name.dropLast(4))
            guard !handled.contains(uuid) else { continue }
            if let record = try row(uuid: uuid) {
                try finishMove(record, report: &report)
                continue
            }
            let pdf = files.pendingPDF(uuid)
            let sidecar = Sidecar(
                uuid: uuid,
                document: NewDocument(
                    profile: "recovered", pages: 0, stagedFile: pdf,
                    fields: RegisterFields(notes: "Khôi phục khi khởi động: thiếu thông tin đi kèm, cần bổ sung.")),
                sha256: try Hashing.file(pdf), stagedAtMs: Millis.of(clock.now()))
            let record = try write { db in try insert(db, sidecar: sidecar, action: "recover-register") }
            try files.finish(uuid: uuid, relativePath: record.path)
            report.registered.append(record.id)
        }

        // Rows whose file is gone.
        let registered = try read { db in
            try DocumentRecord.filter(DocumentRecord.Columns.state == RegisteredDocument.State.registered.stored && DocumentRecord.Columns.storage != DocumentStorage.none.stored).fetchAll(db)
        }
        let retained = try retainedIDs()
        for record in registered where !fm.fileExists(atPath: files.absolute(record.path)) && !retained.contains(record.id) {
            if fm.fileExists(atPath: files.pendingPDF(record.uuid)) {
                try finishMove(record, report: &report)
                continue
            }
            let reason = "Mất tệp PDF \(record.path) (phát hiện khi khôi phục lúc khởi động)"
            try void(book: record.book, year: record.year, number: record.number, reason: reason)
            report.voided.append(record.id)
        }

        // Pages a secrecy correction was destroying when the box stopped.
        let destroyed = try read { db in
            try String.fetchAll(db, sql: "SELECT path FROM document WHERE state = 'voided' AND storage = 'none' AND path != ''")
        }
        for path in destroyed where fm.fileExists(atPath: files.absolute(path)) {
            try files.remove(files.absolute(path))
            report.tempFilesRemoved.append(files.absolute(path))
        }

        try fillGaps(report: &report)
        try findUnknownFiles(report: &report)
        return report
    }

    private func row(uuid: String) throws -> DocumentRecord? {
        try read { db in try DocumentRecord.filter(DocumentRecord.Columns.uuid == uuid).fetchOne(db) }
    }

    private func finishMove(_ record: DocumentRecord, report: inout RecoveryReport) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: files.absolute(record.path)), fm.fileExists(atPath: files.pendingPDF(record.uuid)) {
            try files.finish(uuid: record.uuid, relativePath: record.path)
            report.finished.append(record.id)
        } else if !record.path.isEmpty, fm.fileExists(atPath: files.pendingPDF(record.uuid)),
                  (try? Hashing.file(files.pendingPDF(record.uuid))) == record.sha256,
                  (try? Hashing.file(files.absolute(record.path))) != record.sha256 {
            // A re-stamp for a confirmed number (Register+Leases) committed before a crash: swap it in.
            try files.finish(uuid: record.uuid, relativePath: record.path)
            report.finished.append(record.id)
        } else {
            try files.remove(files.sidecar(record.uuid))
            try DocumentFiles.fsync(files.pendingDirectory)
        }
    }

    /// Numbers can only go missing if rows were deleted behind the register's back; the gap is
    /// then written into the register as a voided entry, never left silent.
    private func fillGaps(report: inout RecoveryReport) throws {
        let filled: [String] = try write { db in
            var ids: [String] = []
            let books = try Row.fetchAll(
                db, sql: "SELECT book, year, MAX(number) AS last, COUNT(*) AS n FROM document GROUP BY book, year")
            for book in books {
                let name: String = book["book"]
                let year: Int = book["year"]
                // Numbers outside the box's lease blocks (the centre's own) are not gaps, nor is a
                // number reserved for an imprinter (its paper is on its way).
                let reserved = try Self.openReservedNumbers(db, book: name, year: year)
                for missing in try missingNumbers(db, book: name, year: year) where !reserved.contains(missing) {
                    ids.append(try insertGap(db, book: name, year: year, number: missing))
                }
            }
            return ids
        }
        report.gapsFilled.append(contentsOf: filled)
    }

    private func insertGap(_ db: Database, book: String, year: Int, number: Int) throws -> String {
        let uuid = UUID().uuidString.lowercased()
        let id = documentID(book: book, year: year, number: number, uuid: uuid)
        let neighbour = try Int64.fetchOne(
            db, sql: "SELECT MAX(arrivedAtMs) FROM document WHERE book = ? AND year = ? AND number < ?",
            arguments: [book, year, number])
        let record = DocumentRecord(
            id: id, uuid: uuid, book: book, year: year, number: number,
            arrivedAtMs: neighbour ?? Millis.of(clock.now()), pages: 0, sha256: "", path: "",
            profile: "gap", urgency: Urgency.normal.stored, secrecy: Secrecy.none.stored,
            state: "voided",
            voidReason: "Số \(number) bị thiếu trong sổ (bản ghi bị mất), phát hiện khi khôi phục lúc khởi động")
        try record.insert(db)
        try appendAudit(db, action: "recover-gap", record: record, now: clock.now(), detail: ["number": String(number)])
        return id
    }

    private func findUnknownFiles(report: inout RecoveryReport) throws {
        let fm = FileManager.default
        let known = try read { db in Set(try String.fetchAll(db, sql: "SELECT path FROM document WHERE path != ''")) }
        let years = ((try? fm.contentsOfDirectory(atPath: files.root)) ?? []).filter { Int($0) != nil }
        for year in years.sorted() {
            for name in ((try? fm.contentsOfDirectory(atPath: files.root + "/" + year)) ?? []).sorted() {
                let relative = year + "/" + name
                if name.hasSuffix(".tmp") {
                    try files.remove(files.absolute(relative))
                    report.tempFilesRemoved.append(files.absolute(relative))
                } else if !known.contains(relative) {
                    report.unknownFiles.append(files.absolute(relative))
                }
            }
        }
    }
}
