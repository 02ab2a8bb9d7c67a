import IntakeCore
import Foundation
import GRDB

extension Register {
    // MARK: - corrections

    /// Voids a spoiled registration: it stays in the register with its reason; its number is
    /// never reused. Undelivered outbox rows are held.
    public func void(book: String, year: Int, number: Int, reason: String) throws {
        let reason = try Text.checked(Text.nfc(reason), field: "reason")
        guard !reason.isEmpty else {
            throw RegistryError.invalidField("Phải ghi lý do hủy.", detail: "empty void reason")
        }
        try write { db in
            var record = try existing(db, book: book, year: year, number: number)
            guard record.state == "registered" else {
                throw RegistryError(
                    .alreadyVoided, "Số \(number) sổ \(book) năm \(year) đã bị hủy trước đó.",
                    detail: "\(record.id) already voided: \(record.voidReason ?? "")")
            }
            record.state = "voided"
            record.voidReason = reason
            try record.update(db)
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'held', heldReason = ?
                    WHERE documentID = ? AND state IN ('pending', 'needsAttention', 'corrupt')
                    """,
                arguments: ["Văn bản đã hủy: \(reason)", record.id])
            try appendAudit(db, action: "void", record: record, now: clock.now(), detail: ["reason": reason])
        }
    }

    /// Changes the clerk-entered columns: only non-nil fields change ("" clears one); each
    /// change is its own audit entry. Text is stored NFC-normalised.
    public func edit(book: String, year: Int, number: Int, changes: RegisterFields) throws {
        let changes = try changes.normalised.checked()
        try write { db in
            var record = try existing(db, book: book, year: year, number: number)
            guard record.state == "registered" else {
                throw RegistryError(
                    .alreadyVoided, "Số \(number) sổ \(book) năm \(year) đã bị hủy, không sửa được.",
                    detail: "edit of voided \(record.id)")
            }
            let now = clock.now()
            let current = record.fields.columns
            for (index, change) in changes.columns.enumerated() {
                guard let newValue = change.value else { continue }
                let stored: String? = newValue.isEmpty ? nil : newValue
                let old = current[index].value
                guard stored != old else { continue }
                var fields = record.fields
                fields.set(change.name, to: stored)
                record.fields = fields
                try record.update(db)
                try appendAudit(db, action: "edit", record: record, now: now, detail: [
                    "field": change.name, "old": old ?? "", "new": stored ?? "",
                ])
            }
        }
    }

    func existing(_ db: Database, book: String, year: Int, number: Int) throws -> DocumentRecord {
        guard let record = try DocumentRecord.numbered(book: book, year: year, number: number)
            .fetchOne(db)
        else { throw RegistryError.notFound("số \(number) sổ \(book) năm \(year)") }
        return record
    }
}

extension RegisterFields {
    mutating func set(_ column: String, to value: String?) {
        switch column {
        case "sender": sender = value
        case "notation": notation = value
        case "documentDate": documentDate = value
        case "summary": summary = value
        case "recipient": recipient = value
        case "forwardedDate": forwardedDate = value
        case "notes": notes = value
        default: preconditionFailure("unknown register column \(column)")
        }
    }
}
