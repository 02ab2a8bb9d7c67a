import Foundation
import IntakeCore
public import Registry

/// The clerk's answer to a held marks check (`intake register confirm-mark N`).
public struct MarkConfirmationRequest: Sendable, Codable, Equatable {
    public enum Decision: String, Sendable, Codable {
        /// The mark is real: register the document in the classified book with `secrecy`.
        case confirm
        /// The reader misread the page: the check passes and the document may leave.
        case dismiss
    }

    public var number: Int
    public var book: String?
    public var year: Int?
    public var decision: Decision
    /// For `confirm`: mat, toi_mat or tuyet_mat (sensitive too).
    public var secrecy: String?
    public var reason: String

    public init(number: Int, book: String? = nil, year: Int? = nil, decision: Decision, secrecy: String? = nil, reason: String) {
        self.number = number
        self.book = book
        self.year = year
        self.decision = decision
        self.secrecy = secrecy
        self.reason = reason
    }
}

/// Settles a flagged marks check — only a person does; nothing is lowered automatically.
/// `confirm` goes through the secrecy correction (the ordinary entry voided with the reason, the
/// document registered in the classified book as the box's network posture allows: no pages kept
/// on an Internet box, sealed on the classified network); `dismiss` records the clerk's word in
/// the audit log and passes the check.
public struct MarkConfirmation: Sendable {
    public let context: ApplianceContext

    public init(context: ApplianceContext) {
        self.context = context
    }

    public struct Outcome: Sendable {
        /// The entry as it stands now: the new classified entry, or the released ordinary one.
        public var document: RegisteredDocument
        /// What the clerk is told (screen, CLI).
        public var notice: ClerkMessage
        public var message: String { notice.text }
    }

    /// The reasons the release gate gave when it held this flagged document (asked of the gate
    /// itself, so the wording has one home): only those holds are lifted by a dismissal.
    func gateReasons(holding document: RegisteredDocument) -> Set<String> {
        let gate = ReleaseGate(context.configuration)
        return Set(context.configuration.targets.compactMap { target in
            if case let .hold(reason) = gate.decide(document, to: target.name, now: Date()) { return reason }
            return nil
        })
    }

    public func apply(_ request: MarkConfirmationRequest) throws -> Outcome {
        let book = request.book ?? context.configuration.books.ordinary
        let year = request.year ?? context.currentYear
        guard let document = try context.register.document(book: book, year: year, number: request.number) else {
            throw SecrecyError(.nothingToCorrect, "Không tìm thấy số \(request.number) sổ \(book) năm \(year).", detail: "")
        }
        guard document.marksCheck == .flagged, document.state == .registered else {
            throw SecrecyError(.nothingToCorrect, MarksCheckText.notFlagged(number: document.number, book: book),
                               detail: "marks check is \(document.marksCheck.rawValue), state \(document.state.rawValue)")
        }
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw SecrecyError(.notAllowed, MarksCheckText.reasonRequired, detail: "empty reason") }
        switch request.decision {
        case .confirm:
            let correction = SecrecyCorrectionRequest(number: document.number, book: book, year: year,
                                                      secrecy: request.secrecy ?? "", reason: reason)
            // Held by the gate since it was flagged: the hold window no longer limits the correction.
            let outcome = try SecrecyCorrection(context: context).correct(correction, deadline: .distantFuture)
            return Outcome(document: outcome.document, notice: outcome.notice)
        case .dismiss:
            try context.register.finishMarksCheck(documentID: document.id, .passed, detail: "dismissed by the clerk as misread: \(reason)",
                                                  releasingHeld: gateReasons(holding: document))
            let released = try context.register.document(id: document.id) ?? document
            return Outcome(document: released, notice: .marksDismissed(number: document.number, book: book))
        }
    }
}
