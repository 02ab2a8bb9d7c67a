import Foundation
import IntakeCore
import Logging
import Registry

/// What the clerk sees and hears (the status screen and its bell), what hooks and metrics are
/// told, and systemd's STATUS= line — all drawn from the one `DaemonState`.
extension Daemon {
    /// Keeps a registered document as the last one and puts it on the screen's state.
    func recordRegistered(_ document: RegisteredDocument) -> DocumentSummary {
        let summary = DocumentSummary(document)
        state.withLock { state in
            state.lastDocument = summary
            state.lastError = nil
            state.screen.lastNumber = document.numberText
            state.screen.lastDetail = ClerkMessage.afterRegistration(document)
            state.screen.problem = nil
        }
        return summary
    }

    /// One beep, the screen, the `registered` hooks; the outbox and the metrics file look again.
    func announceRegistered(_ summary: DocumentSummary) {
        screen.ring(.success)
        refreshScreen()
        hooks.fire(.registered, values: Self.hookValues(summary))
        wakeup.signal()
        state.withLock { $0.metrics }?.changed()
    }

    /// The clerk hears what a header check found (held mark, raised urgency).
    func headerChecked(_ outcome: HeaderStage.Outcome) {
        guard let message = outcome.clerkMessage else { return refreshScreen() }
        let held = outcome.marksCheck == .flagged
        state.withLock { if held { $0.screen.problem = message } else { $0.screen.lastDetail = message } }
        if !outcome.isReminder { screen.ring(held ? .attention : .success) }
        refreshScreen()
    }

    func failed(_ error: any Error, origin: String) {
        let payload = ErrorPayload(error)
        logger.error("scan failed: \(payload.message)", metadata: ["code": "\(payload.code)", "detail": "\(payload.detail)", "origin": "\(origin)"])
        state.withLock { state in
            state.lastError = payload.message
            state.screen.problem = ClerkCatalogue.message(for: error)
        }
        screen.ring(.failure)
        refreshScreen()
        hooks.fire(.failed, values: ["code": payload.code, "message": ClerkCatalogue.message(for: error).text, "detail": payload.message, "origin": origin])
    }

    func deliveryEvent(_ event: DeliveryEvent) {
        let summary = DocumentSummary(event.document)
        let metrics = state.withLock { $0.metrics }
        if event.kind == .delivered { metrics?.delivered(target: event.target, path: event.document.path) } else { metrics?.changed() }
        updateOffline()
        switch event.kind {
        case .delivered:
            hooks.fire(.delivered, values: Self.hookValues(summary).merging(["target": event.target]) { $1 })
        case .retrying:
            break
        case .needsAttention, .corrupt:
            screen.ring(.attention)
            hooks.fire(.needsAttention, values: Self.hookValues(summary).merging(
                ["target": event.target, "message": ClerkMessage.deliveryNeedsAttention.text, "detail": event.message]) { $1 })
        case .held, .deferred:
            break
        }
        refreshScreen()
        notifier.status(statusLine())
    }

    /// Offline while any target's link is down with documents waiting for it (the worker
    /// knows; any answer from the centre, or an empty backlog, ends it).
    func updateOffline() {
        let down = !(state.withLock { $0.worker }?.offlineTargets().isEmpty ?? true)
        state.withLock { $0.offlineSince = down ? ($0.offlineSince ?? Date()) : nil }
    }

    func refreshScreen() {
        updateOffline()
        let pending: Int = ((try? context.register.queueCounts()) ?? [:])[.pending] ?? 0
        let leases = ScreenLeases.current(context)
        let shown = state.withLock { state in
            state.screen.queueLength = pending
            state.screen.leases = leases
            state.screen.offlineSince = state.offlineSince
            state.screen.scannerConnected = state.device == .connected
            return state.screen
        }
        screen.show(shown)
    }

    func setActivity(_ activity: DaemonActivity) {
        state.withLock { $0.activity = activity }
    }

    /// Records the scanner's state; the screen and systemd hear of a change.
    func setDevice(name: String?, _ device: DeviceState, error: String?) {
        let changed = state.withLock { state in
            let changed = state.device != device
            state.deviceName = name ?? state.deviceName
            state.device = device
            if let error { state.lastError = error }
            return changed
        }
        if changed {
            refreshScreen()
            notifier.status(statusLine())
        }
    }

    func statusLine() -> String {
        state.withLock { state in
            var parts = [state.activity.description, "scanner \(state.device)"]
            if let lastDocument = state.lastDocument { parts.append("last \(lastDocument.book) \(lastDocument.number)/\(lastDocument.year)") }
            if let offlineSince = state.offlineSince { parts.append("offline since \(offlineSince.formatted(date: .omitted, time: .shortened))") }
            return parts.joined(separator: ", ")
        }
    }

    static func hookValues(_ document: DocumentSummary) -> [String: String] {
        ["number": "\(document.number)", "book": document.book, "year": "\(document.year)", "id": document.id,
         "pages": "\(document.pages)", "urgency": document.urgency, "path": document.path,
         "urgency_text": Urgency(rawValue: document.urgency)?.decreeName ?? ""]
    }
}
