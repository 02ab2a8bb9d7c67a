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

/// Corrects the secrecy of a document inside its hold window, in either direction.
///
/// Raised (ordinary → a grade): the ordinary entry is voided with the reason and the document is
/// registered in the classified book, kept as the secrecy rules say for this box (sealed on the
/// classified network, no pages on an Internet box). The ordinary deliveries are held in the
/// same transaction, so the corrected document never reaches an ordinary target.
///
/// Lowered (a grade → ordinary, registered MẬT by mistake): the classified entry is voided with
/// the reason and the document registered in the ordinary book from its own pages (opened from
/// the sealed copy, stamped with the new number). Refused when the box never kept the pages
/// (an Internet box, or TUYỆT MẬT): the paper must then be scanned again as a new document.
public struct SecrecyCorrection: Sendable {
    public let context: ApplianceContext

    public init(context: ApplianceContext) {
        self.context = context
    }

    /// The result: the voided entry's number, the new entry and what the clerk hears.
    public struct Outcome: Sendable {
        public var voidedNumber: Int
        public var document: RegisteredDocument
        /// What the clerk is told (screen, CLI).
        public var notice: ClerkMessage
        public var message: String { notice.text }
    }

    /// `deadline` replaces the end of the hold window when raising a document the gate holds
    /// anyway (a flagged marks check).
    public func correct(_ request: SecrecyCorrectionRequest, lastDocumentID: String? = nil, deadline: Date? = nil) throws -> Outcome {
        guard let secrecy = try? Secrecy(word: request.secrecy) else {
            throw SecrecyError(.notAllowed, "Độ mật '\(SafeText.escapedForDisplay(request.secrecy))' không hợp lệ.",
                               detail: "use one of: \(Secrecy.words.joined(separator: ", "))")
        }
        let books = context.configuration.books
        let document = try find(request, defaultBook: secrecy.isClassified ? books.ordinary : books.classified, lastDocumentID: lastDocumentID)
        return secrecy.isClassified ? try raise(document, to: secrecy, reason: request.reason, deadline: deadline)
                                    : try lower(document, reason: request.reason)
    }

    /// The entry the request names, or the last one registered.
    private func find(_ request: SecrecyCorrectionRequest, defaultBook: String, lastDocumentID: String?) throws -> RegisteredDocument {
        if let number = request.number {
            let book = request.book ?? defaultBook
            let year = request.year ?? context.currentYear
            guard let found = try context.register.document(book: book, year: year, number: number) else {
                throw SecrecyError(.nothingToCorrect, "Không tìm thấy số \(number) sổ \(book) năm \(year).", detail: "")
            }
            return found
        }
        guard let id = lastDocumentID, let found = try context.register.document(id: id) else {
            throw SecrecyError(.nothingToCorrect, "Chưa có văn bản nào vừa vào sổ để đổi độ mật.", detail: "no last document")
        }
        return found
    }

    // MARK: - Raise

    private func raise(_ document: RegisteredDocument, to secrecy: Secrecy, reason: String, deadline: Date?) throws -> Outcome {
        let configuration = context.configuration
        let gate = ReleaseGate(configuration)
        let storage = SecrecyRules.storage(for: secrecy, on: configuration.network)
        var deadline = deadline ?? gate.windowEnd(of: document)
        var staged = ""
        if storage == .sealed {
            let files = try ClassifiedFiles(configuration: configuration)
            // Stop the deliveries first: sealing a long document must not outlast the window.
            try context.register.holdForReclassification(book: document.book, year: document.year, number: document.number,
                                                         to: secrecy, reason: reason, deadline: deadline)
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
        let corrected = try reclassify(document, to: secrecy, reason: reason, replacement: replacement, deadline: deadline, staged: staged)
        return Outcome(
            voidedNumber: document.number, document: corrected,
            notice: .secrecyRaised(from: document.number, fromBook: document.book, to: secrecy,
                                   number: corrected.number, book: corrected.book, pagesKept: storage != .none))
    }

    // MARK: - Lower

    private func lower(_ document: RegisteredDocument, reason: String) throws -> Outcome {
        let configuration = context.configuration
        guard document.secrecy.isClassified else {
            throw SecrecyError(.notAllowed, "Văn bản số \(document.number) sổ \(document.book) đã là văn bản thường.",
                               detail: "lowering \(document.id): it is not classified")
        }
        guard document.storage != .none, !document.path.isEmpty else {
            throw SecrecyError(.pagesNotKept,
                               "Máy này không giữ bản quét của văn bản \(document.secrecy.displayName) số \(document.number) nên không đưa được sang sổ thường — "
                                   + "quét lại bản giấy như văn bản mới, rồi hủy số \(document.number) sổ \(document.book).",
                               detail: "lowering \(document.id): storage \(document.storage.rawValue) (network \(configuration.network.rawValue)); no pages to register")
        }
        let gate = ReleaseGate(configuration)
        // Stop the deliveries first: opening a long sealed document must not outlast the window.
        try context.register.holdForReclassification(book: document.book, year: document.year, number: document.number,
                                                     to: .none, reason: reason, deadline: gate.windowEnd(of: document))
        let staged = configuration.paths.stagingDirectory + "/reclassify-\(UUID().uuidString.lowercased()).pdf"
        do {
            if document.storage == .sealed {
                _ = try ClassifiedFiles(configuration: configuration).cipher.open(document.path, to: staged)
            } else {
                try FileManager.default.copyItem(atPath: document.path, toPath: staged)
            }
        } catch {
            unlink(staged)
            throw error
        }
        let replacement = NewDocument(
            profile: document.profile, urgency: document.urgency, secrecy: .none, pages: document.pages,
            stagedFile: staged, fields: document.fields, targets: configuration.targets.map(\.name), storage: .plain)
        let corrected = try reclassify(document, to: .none, reason: reason, replacement: replacement, deadline: .distantFuture, staged: staged)
        return Outcome(
            voidedNumber: document.number, document: corrected,
            notice: .secrecyLowered(from: document.number, fromBook: document.book, number: corrected.number, book: corrected.book))
    }

    private func reclassify(_ document: RegisteredDocument, to secrecy: Secrecy, reason: String,
                            replacement: NewDocument, deadline: Date, staged: String) throws -> RegisteredDocument {
        do {
            return try context.register.reclassify(
                book: document.book, year: document.year, number: document.number, to: secrecy,
                reason: reason, replacement: replacement, deadline: deadline)
        } catch {
            if !staged.isEmpty { unlink(staged) }
            throw error
        }
    }
}
