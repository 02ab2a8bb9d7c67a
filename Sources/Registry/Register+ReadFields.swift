import Foundation
import GRDB

/// A register column filled from what OCR read on the page, with its confidence (0–100).
public struct ReadField: Sendable, Equatable, Codable {
    /// "sender", "notation", "documentDate" or "summary".
    public var column: String
    public var value: String
    public var confidence: Double

    public init(column: String, value: String, confidence: Double) {
        self.column = column
        self.value = value
        self.confidence = confidence
    }
}

extension Register {
    /// Writes fields read from the page into the columns the clerk left empty — never over what
    /// a person typed — each as its own audit entry (action "ocr") carrying the confidence.
    /// Returns the columns written.
    @discardableResult
    public func fillFromPage(documentID: String, _ fields: [ReadField]) throws -> [ReadField] {
        try write { db in
            guard var record = try DocumentRecord.fetchOne(db, key: documentID) else {
                throw RegistryError.notFound("văn bản \(documentID)")
            }
            guard record.state == "registered" else { return [] }
            let now = clock.now()
            var written: [ReadField] = []
            for field in fields where ["sender", "notation", "documentDate", "summary"].contains(field.column) {
                let value = Text.nfc(field.value)
                guard !value.isEmpty, SafeTextCheck.isStorable(value) else { continue }
                let current = record.fields.columns.first { $0.name == field.column }?.value
                guard current?.isEmpty ?? true else { continue }
                var columns = record.fields
                columns.set(field.column, to: value)
                record.fields = columns
                try record.update(db)
                try appendAudit(db, action: "ocr", record: record, now: now, detail: [
                    "field": field.column, "new": value, "confidence": String(format: "%.0f", field.confidence),
                ])
                written.append(ReadField(column: field.column, value: value, confidence: field.confidence))
            }
            return written
        }
    }

    /// Raises a document's urgency to what its page's mark says — only ever upwards (the safe
    /// direction: it is delivered sooner) — with an audit entry. Returns whether it changed.
    @discardableResult
    public func raiseUrgency(documentID: String, to urgency: Urgency, reason: String) throws -> Bool {
        try write { db in
            guard var record = try DocumentRecord.fetchOne(db, key: documentID) else {
                throw RegistryError.notFound("văn bản \(documentID)")
            }
            let current = Urgency.fromStored(record.urgency) ?? .normal
            guard record.state == "registered", urgency.priority < current.priority else { return false }
            record.urgency = urgency.stored
            try record.update(db)
            try appendAudit(db, action: "raise-urgency", record: record, now: clock.now(), detail: [
                "old": current.stored, "new": urgency.stored, "reason": reason,
            ])
            return true
        }
    }

    /// The columns of a document that came from OCR (and have not been changed by a person
    /// since), with their confidences: what `intake register show` marks.
    public func fieldsReadFromPage(documentID: String) throws -> [ReadField] {
        try read { db in
            var latest: [String: ReadField?] = [:]
            let entries = try AuditRecord.filter(AuditRecord.Columns.documentID == documentID).order(AuditRecord.Columns.seq).fetchAll(db)
            for entry in entries where entry.action == "ocr" || entry.action == "edit" {
                guard let detail = try? JSONDecoder().decode([String: String].self, from: Data(entry.detail.utf8)),
                      let column = detail["field"] else { continue }
                latest[column] = entry.action == "ocr"
                    ? ReadField(column: column, value: detail["new"] ?? "", confidence: Double(detail["confidence"] ?? "") ?? 0)
                    : nil
            }
            return latest.values.compactMap { $0 }.sorted { $0.column < $1.column }
        }
    }
}

/// What may be stored, as `Text.checked` decides, without throwing.
enum SafeTextCheck {
    static func isStorable(_ value: String) -> Bool { (try? Text.checked(value, field: "")) != nil }
}
