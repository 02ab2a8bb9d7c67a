import Foundation
import GRDB

// MARK: - document

struct DocumentRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "document"

    /// The columns queries name (GRDB's `Columns`): spelled once, here.
    enum Columns: String, ColumnExpression {
        case id, uuid, book, year, number, arrivedAtMs, state, storage, marksCheck, urgency, secrecy
    }

    /// The entry with number `number` in `book` of `year`.
    static func numbered(book: String, year: Int, number: Int) -> QueryInterfaceRequest<DocumentRecord> {
        filter(Columns.book == book && Columns.year == year && Columns.number == number)
    }

    /// Register order: book, year, number.
    static var registerOrder: [any SQLOrderingTerm] { [Columns.book, Columns.year, Columns.number] }

    var id: String
    var uuid: String
    var book: String
    var year: Int
    var number: Int
    var arrivedAtMs: Int64
    var pages: Int
    var sha256: String
    var path: String
    var profile: String
    var urgency: String
    var secrecy: String
    var sender: String?
    var notation: String?
    var documentDate: String?
    var summary: String?
    var recipient: String?
    var forwardedDate: String?
    var notes: String?
    var state: String
    var voidReason: String?
    var storage: String = DocumentStorage.plain.stored
    var marksCheck: String = MarksCheck.notRequired.stored

    var fields: RegisterFields {
        get {
            RegisterFields(
                sender: sender, notation: notation, documentDate: documentDate, summary: summary,
                recipient: recipient, forwardedDate: forwardedDate, notes: notes)
        }
        set {
            sender = newValue.sender
            notation = newValue.notation
            documentDate = newValue.documentDate
            summary = newValue.summary
            recipient = newValue.recipient
            forwardedDate = newValue.forwardedDate
            notes = newValue.notes
        }
    }

    func document(in documentsDirectory: String) -> RegisteredDocument {
        RegisteredDocument(
            id: id, book: book, year: year, number: number, arrivedAt: Millis.date(arrivedAtMs),
            pages: pages, sha256: sha256,
            path: path.isEmpty ? "" : documentsDirectory + "/" + path,
            profile: profile, urgency: Urgency.fromStored(urgency) ?? .normal,
            secrecy: Secrecy(stored: secrecy), fields: fields,
            state: RegisteredDocument.State.fromStored(state) ?? .registered, voidReason: voidReason,
            // Fail closed: an unknown word never reads as "plain" or "no check needed".
            storage: DocumentStorage.fromStored(storage) ?? .none,
            marksCheck: MarksCheck.fromStored(marksCheck) ?? .flagged)
    }

    /// Every column in a fixed order, unambiguous: what an audit entry's row hash covers.
    var snapshot: String {
        let values: [String?] = [
            id, uuid, book, String(year), String(number), String(arrivedAtMs), String(pages), sha256,
            path, profile, urgency, secrecy, sender, notation, documentDate, summary, recipient,
            forwardedDate, notes, state, voidReason,
        ]
        var snapshot = values.map { $0.map { "s\($0.utf8.count):\($0)" } ?? "n" }.joined(separator: "|")
        // Columns added later join the snapshot only when they differ from their default, so
        // the hashes of entries written before they existed still verify.
        if storage != DocumentStorage.plain.stored { snapshot += "|storage:" + storage }
        if marksCheck != MarksCheck.notRequired.stored { snapshot += "|marksCheck:" + marksCheck }
        return snapshot
    }

    var snapshotHash: String { Hashing.hex(snapshot) }
}

// MARK: - outbox

struct OutboxRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "outbox"

    enum Columns: String, ColumnExpression {
        case id, documentID, target, state
    }

    var id: Int64?
    var documentID: String
    var target: String
    var state: String
    var attempts: Int
    var nextAttemptAtMs: Int64
    var lastError: String?
    var lastStatus: Int?
    var heldReason: String?
    var deliveredAtMs: Int64?
    var receipt: String?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

struct AttemptRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "attempt"

    var id: Int64?
    var outboxID: Int64
    var atMs: Int64
    var outcome: String
    var status: Int?
    var error: String?
    var receipt: String?
}

// MARK: - audit

struct AuditRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "audit"

    enum Columns: String, ColumnExpression {
        case seq, documentID
    }
    static let genesis = String(repeating: "0", count: 64)

    var seq: Int64
    var atMs: Int64
    var action: String
    var documentID: String
    var detail: String
    var rowHash: String
    var prevHash: String
    var hash: String

    static func computeHash(
        seq: Int64, atMs: Int64, action: String, documentID: String, detail: String, rowHash: String,
        prevHash: String
    ) -> String {
        let parts = [String(seq), String(atMs), action, documentID, detail, rowHash, prevHash]
        return Hashing.hex(parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|"))
    }

    var expectedHash: String {
        Self.computeHash(
            seq: seq, atMs: atMs, action: action, documentID: documentID, detail: detail,
            rowHash: rowHash, prevHash: prevHash)
    }
}

// MARK: - helpers

enum Millis {
    static func of(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
