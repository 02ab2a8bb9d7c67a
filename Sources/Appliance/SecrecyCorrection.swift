public import Foundation
import IntakeCore
public import Registry
#if canImport(Glibc)
import Glibc
#endif

/// What the clerk or technician asks: "this one is MẬT" (keypad key or `intake register mark`).
public struct SecrecyCorrectionRequest: Sendable, Codable, Equatable {
    /// Số đến in the ordinary book; nil means the last registered document.
    public var number: Int?
    public var book: String?
    public var year: Int?
    /// The configuration's spelling: mat, toi_mat, tuyet_mat, sensitive.
    public var secrecy: String
    public var reason: String

    public init(number: Int?, book: String? = nil, year: Int? = nil, secrecy: String, reason: String) {
        self.number = number
        self.book = book
        self.year = year
        self.secrecy = secrecy
        self.reason = reason
    }
}

/// Corrects the secrecy of a document inside its hold window: the ordinary entry is voided with
/// the reason and the document is registered in the classified book, kept as the secrecy rules
/// say for this box (sealed on the classified network, no pages on an Internet box). The
/// ordinary deliveries are held in the same transaction, so the corrected document never
/// reaches an ordinary target.
public struct SecrecyCorrection: Sendable {
    public let context: ApplianceContext

    public init(context: ApplianceContext) {
        self.context = context
    }

    /// The result: the voided ordinary entry's number, the new classified entry and what the clerk hears.
    public struct Outcome: Sendable {
        public var voidedNumber: Int
        public var document: RegisteredDocument
        public var message: String
    }

    /// `deadline` replaces the end of the hold window for a document the gate holds anyway (a
    /// flagged marks check).
    public func correct(_ request: SecrecyCorrectionRequest, lastDocumentID: String? = nil, deadline: Date? = nil) throws -> Outcome {
        let configuration = context.configuration
        guard let secrecy = try? Secrecy(word: request.secrecy), secrecy.isClassified else {
            throw SecrecyError(.notAllowed, "Độ mật '\(SafeText.escapedForDisplay(request.secrecy))' không hợp lệ.",
                               detail: "use one of: \(Secrecy.words.filter { $0 != "none" }.joined(separator: ", "))")
        }
        let document: RegisteredDocument
        if let number = request.number {
            let book = request.book ?? configuration.books.ordinary
            let year = request.year ?? context.currentYear
            guard let found = try context.register.document(book: book, year: year, number: number) else {
                throw SecrecyError(.nothingToCorrect, "Không tìm thấy số \(number) sổ \(book) năm \(year).", detail: "")
            }
            document = found
        } else {
            guard let id = lastDocumentID, let found = try context.register.document(id: id) else {
                throw SecrecyError(.nothingToCorrect, "Chưa có văn bản nào vừa vào sổ để đổi độ mật.", detail: "no last document")
            }
            document = found
        }
        let gate = ReleaseGate(configuration)
        let storage = SecrecyRules.storage(for: secrecy, on: configuration.network)
        var deadline = deadline ?? gate.windowEnd(of: document)
        var staged = ""
        if storage == .sealed {
            let files = try ClassifiedFiles(configuration: configuration)
            // Stop the deliveries first: sealing a long document must not outlast the window.
            try context.register.holdForReclassification(book: document.book, year: document.year, number: document.number,
                                                         to: secrecy, reason: request.reason, deadline: deadline)
            deadline = .distantFuture
            staged = configuration.paths.stagingDirectory + "/reclassify-\(UUID().uuidString.lowercased()).pdf.sealed"
            try files.cipher.seal(document.path, to: staged)
        }
        var fields = document.fields
        if storage == .none {
            fields.notes = [fields.notes, SecrecyRules.registerNote(for: secrecy)].compactMap { $0 }.joined(separator: " ")
        }
        let replacement = NewDocument(
            profile: document.profile, urgency: document.urgency, secrecy: secrecy,
            pages: storage == .none ? 0 : document.pages, stagedFile: staged, fields: fields,
            targets: storage == .none ? [] : configuration.targets.map(\.name), storage: storage)
        let corrected: RegisteredDocument
        do {
            corrected = try context.register.reclassify(
                book: document.book, year: document.year, number: document.number, to: secrecy,
                reason: request.reason, replacement: replacement, deadline: deadline)
        } catch {
            if !staged.isEmpty { unlink(staged) }
            throw error
        }
        let kept = storage == .none
            ? "không lưu và không gửi bản quét"
            : "bản quét được mã hóa và chỉ gửi tới nơi nhận văn bản mật"
        return Outcome(
            voidedNumber: document.number, document: corrected,
            message: "Đã đổi văn bản số \(document.number) sổ \(document.book) thành \(secrecy.displayName): "
                + "vào sổ \(corrected.book) số \(corrected.number); số \(document.number) sổ \(document.book) đã hủy, không gửi; \(kept).")
    }
}
