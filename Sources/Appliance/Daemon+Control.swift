import Foundation
import IntakeCore
import Logging
import Registry

/// The requests that arrive on the control socket (`intake scan`, `status`, `register mark`,
/// the udev rule's rescan), and the secrecy correction they share with the MẬT key.
extension Daemon {
    /// Answers one request. A scan's replies come from the scanner thread as the pages go; this
    /// task waits for the last one without holding a thread.
    func serve(_ connection: UnixConnection, _ received: Result<ControlRequest, any Error>) async {
        do {
            let request: ControlRequest
            do {
                request = try received.get()
            } catch let error as DecodingError {
                throw ControlError.invalidRequest(Self.explain(error))
            }
            switch request.command {
            case .status:
                let report = try StatusReport.collect(context, daemon: snapshot())
                try connection.send(ControlReply(event: .status, status: report))
            case .rescan:
                requestRescan()
                try connection.send(ControlReply(event: .ok))
            case .mark:
                guard let correction = request.correction else {
                    throw ControlError(code: .protocolViolation, message: "The request is incomplete.", detail: "mark without correction")
                }
                try connection.send(ControlReply(event: .registered, document: try correctSecrecy(correction, origin: "cli")))
            case .confirmMark:
                guard let confirmation = request.confirmation else {
                    throw ControlError(code: .protocolViolation, message: "The request is incomplete.", detail: "confirmMark without confirmation")
                }
                try connection.send(ControlReply(event: .registered, document: try confirmMark(confirmation)))
            case .scan:
                let overrides = request.overrides ?? ScanOverrides()
                try overrides.validate()
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let answered = LockedState(false)
                    submit(profile: request.profile ?? "default", overrides: overrides, origin: "cli") { reply in
                        try? connection.send(reply)
                        guard reply.event == .registered || reply.event == .error else { return }
                        let first = answered.withLock { (already: inout Bool) -> Bool in
                            defer { already = true }
                            return !already
                        }
                        if first { done.resume() }
                    }
                }
            }
        } catch {
            logger.warning("control request refused", metadata: ["code": "\(ErrorPayload(error).code)"])
            try? connection.send(ControlReply(event: .error, error: ErrorPayload(error)))
        }
    }

    /// A malformed request in one line, naming the field (the words a field allows included).
    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? "not a JSON request line" : "\(field): \(context.debugDescription)"
        case let .keyNotFound(key, _):
            return "\(key.stringValue) is missing"
        @unknown default:
            return "malformed request"
        }
    }

    /// Corrects a document's secrecy (the last one registered when the request names none),
    /// tells the clerk on the screen and returns the new classified entry.
    @discardableResult
    func correctSecrecy(_ request: SecrecyCorrectionRequest, origin: String) throws -> DocumentSummary {
        let last = state.withLock { $0.lastDocument?.id }
        do {
            let outcome = try SecrecyCorrection(context: context).correct(request, lastDocumentID: last)
            var summary = DocumentSummary(outcome.document)
            summary.notice = outcome.message
            logger.notice("secrecy corrected", metadata: [
                "origin": "\(origin)", "voided": "\(outcome.voidedNumber)", "number": "\(outcome.document.number)",
                "book": "\(outcome.document.book)", "secrecy": "\(outcome.document.secrecy.rawValue)", "id": "\(outcome.document.id)",
            ])
            state.withLock { state in
                state.lastDocument = summary
                state.screen.lastNumber = "\(outcome.document.number)"
                state.screen.lastDetail = outcome.notice
                state.screen.problem = nil
            }
            screen.ring(.success)
            refreshScreen()
            return summary
        } catch {
            let payload = ErrorPayload(error)
            logger.error("secrecy correction refused: \(payload.message)", metadata: ["detail": "\(payload.detail)", "origin": "\(origin)"])
            state.withLock { $0.screen.problem = ClerkCatalogue.message(for: error) }
            screen.ring(.failure)
            refreshScreen()
            throw error
        }
    }

    /// The clerk settles a held marks check; the screen says what happened.
    func confirmMark(_ request: MarkConfirmationRequest) throws -> DocumentSummary {
        let outcome = try MarkConfirmation(context: context).apply(request)
        logger.notice("marks check settled by the clerk", metadata: ["decision": "\(request.decision.rawValue)", "id": "\(outcome.document.id)"])
        var summary = DocumentSummary(outcome.document)
        summary.notice = outcome.message
        state.withLock { $0.screen.problem = nil; $0.screen.lastDetail = outcome.notice }
        refreshScreen()
        wakeup.signal()
        return summary
    }
}
