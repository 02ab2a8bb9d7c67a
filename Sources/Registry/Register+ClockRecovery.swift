public import Foundation
import GRDB

extension Register {
    /// Registered entries whose arrival time lies more than a day after `now`: numbered while
    /// the clock ran ahead (in a future year's book, perhaps).
    public func entriesFromTheFuture(now: Date) throws -> [RegisteredDocument] {
        let limit = Millis.of(now.addingTimeInterval(RegisterConfiguration.allowedClockLead))
        return try read { db in
            try DocumentRecord.filter(sql: "state = 'registered' AND wrongClock = 0 AND arrivedAtMs > ?", arguments: [limit])
                .order(DocumentRecord.Columns.arrivedAtMs).fetchAll(db).map { $0.document(in: files.root) }
        }
    }

    /// The technician's recovery after the clock ran ahead: each entry numbered under the wrong
    /// clock is voided with the reason (its number stays in its book, never reused, and no longer
    /// counts for the clock check) and its document is registered again now, in the right book
    /// and year, queued for delivery; both steps are audited. Returns the new registrations.
    public func moveEntriesFromTheFuture(reason: String, targets: (RegisteredDocument) -> [String],
                                         stagingDirectory: String) throws -> [(old: RegisteredDocument, new: RegisteredDocument)] {
        let reason = try Text.checked(Text.nfc(reason), field: "reason")
        guard !reason.isEmpty else { throw RegistryError.invalidField("Phải ghi lý do.", detail: "empty reason") }
        // First every entry is copied, voided and marked, so none still holds the clock check
        // back; then each is registered again, in arrival order.
        var staged: [(RegisteredDocument, String)] = []
        for old in try entriesFromTheFuture(now: clock.now()) {
            let copy = stagingDirectory + "/clock-\(old.id).pdf"
            do {
                if FileManager.default.fileExists(atPath: copy) { try FileManager.default.removeItem(atPath: copy) }
                try FileManager.default.copyItem(atPath: old.path, toPath: copy)
            } catch {
                throw RegistryError.storage("Không sao được tệp văn bản \(old.number).", detail: "copy \(old.path): \(error)")
            }
            // The copy is registered (and stamped) again under its new number: the old stamp comes off.
            try restoreScannedCopy(at: copy, documentID: old.id)
            try void(book: old.book, year: old.year, number: old.number,
                     reason: "Cấp số khi đồng hồ sai (\(Text.vietnamTimestamp(old.arrivedAt, configuration.timeZone))): \(reason)")
            try write { db in
                try db.execute(sql: "UPDATE document SET wrongClock = 1 WHERE id = ?", arguments: [old.id])
            }
            staged.append((old, copy))
        }
        var moved: [(RegisteredDocument, RegisteredDocument)] = []
        for (old, copy) in staged {
            var fields = old.fields
            let note = "Đăng ký lại từ \(old.book) \(old.number)/\(old.year) (đồng hồ sai)"
            fields.notes = [fields.notes, note].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
            let new = try register(NewDocument(profile: old.profile, urgency: old.urgency, secrecy: old.secrecy, pages: old.pages,
                                               stagedFile: copy, fields: fields, targets: targets(old)))
            moved.append((old, new))
        }
        return moved
    }
}

extension Text {
    static func vietnamTimestamp(_ date: Date, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        return formatter.string(from: date)
    }
}
