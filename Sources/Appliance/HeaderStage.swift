import Foundation
public import Logging
import HeaderReading
import IntakeCore
public import Registry

/// The daemon stage after registration (issue 17): reads the header of page 1 of every document
/// whose marks check is `pending` — numbering never waits for it — and then
/// - decides the marks check the release gate waits on: `passed` when no secrecy mark above the
///   registered secrecy is read, `flagged` (held until the clerk confirms) when one is, and
///   `flagged` too when the reading fails, crashes or overruns (fail closed: never released
///   unchecked);
/// - raises the urgency when the page's mark says more (never lowers it);
/// - fills the register columns the clerk left empty, if the reading came within
///   `fields_timeout_seconds`.
/// Pending checks are found in the register, so a restart re-reads what was left pending.
public final class HeaderStage: Sendable {
    /// What one reading decided, for the daemon's screen and tests.
    public struct Outcome: Sendable, Equatable {
        public var documentID: String
        public var marksCheck: MarksCheck
        public var urgencyRaised: Urgency?
        public var fieldsWritten: [String]
        /// For the clerk's status screen; nil when there is nothing to tell.
        public var clerkMessage: ClerkMessage?
        /// A held document told again (no new decision): shown, not rung.
        public var isReminder = false
    }

    private let context: @Sendable () -> ApplianceContext
    let logger: Logger
    private let wakeup = Wakeup()
    private let decided: @Sendable (Outcome) -> Void

    /// `context` is read afresh for every document (a reload may change `[ocr]`); `decided` runs
    /// after each check ends (the daemon wakes the outbox and shows the clerk's message).
    public init(context: @escaping @Sendable () -> ApplianceContext, logger: Logger,
                decided: @escaping @Sendable (Outcome) -> Void) {
        self.context = context
        self.logger = logger
        self.decided = decided
    }

    /// A document was registered: look now rather than at the next poll.
    public func wake() { wakeup.signal() }

    /// Reads pending headers one at a time until cancelled; looks every `poll` while OCR is on,
    /// every 10 s while it is off (a reload may turn it on; an idle box stays idle).
    public func run(poll: Duration = .milliseconds(250), remindEvery: Duration = HeaderStage.remindEvery) async {
        remindHeld()
        var reminded = ContinuousClock.now
        while !Task.isCancelled {
            // A held document is told to the clerk again while it waits: a screen redrawn at
            // start-up (the scanner found, the outbox counted) or by later events must not make
            // the clerk forget that one document cannot leave until they confirm it.
            if ContinuousClock.now - reminded >= remindEvery {
                remindHeld(again: true)
                reminded = ContinuousClock.now
            }
            let interval = context().configuration.ocr.enabled ? poll : .seconds(10)
            let pending: [RegisteredDocument]
            do {
                pending = try context().register.pendingMarksChecks()
            } catch {
                logger.error("marks checks: register unreadable", metadata: ["error": "\(error)"])
                pending = []
            }
            for document in pending where !Task.isCancelled {
                if let outcome = await check(document) { decided(outcome) }
            }
            await wakeup.wait(for: interval)
        }
    }

    /// How often a document held for the clerk's confirmation is shown again.
    public static let remindEvery: Duration = .seconds(20)

    /// At start-up, and every `remindEvery` after: documents a flagged check still holds are told
    /// to the clerk again (the screen forgot them with the last process, or redrew since). The
    /// journal says it at start-up; the repeats only at debug level.
    func remindHeld(again: Bool = false) {
        guard let held = try? context().register.documents(withMarksCheck: .flagged), let first = held.first else { return }
        for (book, documents) in Dictionary(grouping: held, by: \.book).sorted(by: { $0.key < $1.key }) {
            logger.log(level: again ? .debug : .warning, "documents held by a flagged marks check wait for the clerk", metadata: [
                "book": "\(book)", "numbers": "\(documents.map(\.number))",
            ])
        }
        let message = ClerkMessage.marksStillHeld(numbers: held.filter { $0.book == first.book }.map(\.number), book: first.book)
        decided(Outcome(documentID: first.id, marksCheck: .flagged, urgencyRaised: nil, fieldsWritten: [], clerkMessage: message,
                        isReminder: again))
    }

    /// Reads one document's header and records what it says; nil when it could not be recorded
    /// (the register refused: it stays pending and is tried again).
    public func check(_ document: RegisteredDocument) async -> Outcome? {
        let context = context()
        let ocr = context.configuration.ocr
        let reader = HeaderReader(binary: ocr.binary, band: ocr.band, timeout: ocr.marksTimeout)
        let started = ContinuousClock.now
        let reading: HeaderReader.Reading
        do {
            reading = try await reader.reading(pdf: document.path)
        } catch {
            let payload = ErrorPayload(error)
            logger.error("marks check failed; the document is held until the clerk confirms (fail closed)", metadata: [
                "id": "\(document.id)", "number": "\(document.number)", "error": "\(payload.message)", "detail": "\(payload.detail)",
            ])
            return record(Outcome(documentID: document.id, marksCheck: .flagged, urgencyRaised: nil, fieldsWritten: [],
                                  clerkMessage: .marksUnreadable(number: document.number, book: document.book)),
                          detail: "marks not read: \(payload.message) \(payload.detail)", in: context)
        }
        let fields = reading.fields
        let elapsed = ContinuousClock.now - started
        logger.info("header read", metadata: ["id": "\(document.id)", "seconds": "\(String(format: "%.2f", elapsed.seconds))"])
        var outcome = Outcome(documentID: document.id, marksCheck: .passed, urgencyRaised: nil, fieldsWritten: [], clerkMessage: nil)
        do {
            if elapsed <= ocr.fieldsTimeout {
                outcome.fieldsWritten = try context.register.fillFromPage(documentID: document.id, fields.registerColumns).map(\.column)
            } else {
                logger.warning("header fields read too late; not written", metadata: [
                    "id": "\(document.id)", "seconds": "\(elapsed)", "fields_timeout": "\(ocr.fieldsTimeout)",
                ])
            }
            if let urgency = fields.markedUrgency, let mark = fields.urgencyMark,
               try context.register.raiseUrgency(documentID: document.id, to: urgency,
                                                 reason: MarksCheckText.urgencyReason(mark: urgency.displayName, confidence: mark.confidence)) {
                outcome.urgencyRaised = urgency
                outcome.clerkMessage = .urgencyRaisedFromMark(number: document.number, book: document.book, urgency: urgency)
                logger.notice("urgency raised from the page's mark", metadata: [
                    "id": "\(document.id)", "from": "\(document.urgency.rawValue)", "to": "\(urgency.rawValue)",
                ])
            }
        } catch {
            logger.error("header fields not recorded", metadata: ["id": "\(document.id)", "error": "\(error)"])
        }
        var detail = "no secrecy mark above \(document.secrecy.rawValue)"
        if let mark = fields.markedSecrecy, mark.isClassified, mark > document.secrecy {
            outcome.marksCheck = .flagged
            outcome.clerkMessage = .marksReadOnPage(number: document.number, book: document.book, mark: mark)
            detail = "secrecy mark \(mark.rawValue) read (confidence \(Int(fields.secrecyMark?.confidence ?? 0))) on a document registered \(document.secrecy.rawValue)"
            logger.warning("secrecy mark on the page above the registered secrecy; held until the clerk confirms", metadata: [
                "id": "\(document.id)", "number": "\(document.number)", "mark": "\(mark.rawValue)", "registered": "\(document.secrecy.rawValue)",
            ])
        } else if fields.secrecyMark != nil, fields.markedSecrecy == nil {
            // A mark the vocabulary does not know is not a pass.
            outcome.marksCheck = .flagged
            outcome.clerkMessage = .marksUnreadable(number: document.number, book: document.book)
            detail = "unknown secrecy mark '\(fields.secrecyMark?.value ?? "")'"
        }
        // Before the check ends: delivery, which waits for it, sends the searchable file.
        addTextLayer(to: document, reading, in: context)
        return record(outcome, detail: detail, in: context)
    }

    private func record(_ outcome: Outcome, detail: String, in context: ApplianceContext) -> Outcome? {
        do {
            try context.register.finishMarksCheck(documentID: outcome.documentID, outcome.marksCheck, detail: detail)
            logger.info("marks check \(outcome.marksCheck.rawValue)", metadata: ["id": "\(outcome.documentID)", "detail": "\(detail)"])
            return outcome
        } catch {
            logger.error("marks check not recorded; it stays pending", metadata: ["id": "\(outcome.documentID)", "error": "\(error)"])
            return nil
        }
    }
}
