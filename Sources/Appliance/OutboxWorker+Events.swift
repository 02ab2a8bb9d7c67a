import Foundation
import Logging
import Registry

extension OutboxWorker {
    /// Journals a delivery outcome at the level it deserves and tells the daemon (screen, hooks, metrics).
    func emit(_ kind: EmittedKind, _ document: RegisteredDocument, _ target: String, _ message: String) {
        let metadata: Logger.Metadata = ["id": "\(document.id)", "number": "\(document.number)", "book": "\(document.book)", "target": "\(target)"]
        switch kind {
        case .delivered: logger.info("delivered: \(message)", metadata: metadata)
        case .retrying: logger.warning("delivery failed, documents are kept and retried: \(message)", metadata: metadata)
        case .retryingAgain: logger.debug("delivery failed again: \(message)", metadata: metadata)
        case .needsAttention: logger.error("delivery needs attention: \(message)", metadata: metadata)
        case .corrupt: logger.critical("document file is corrupt: \(message)", metadata: metadata)
        case .held: logger.notice("delivery held: \(message)", metadata: metadata)
        case .deferred: logger.debug("delivery deferred: \(message)", metadata: metadata)
        }
        onEvent(DeliveryEvent(kind: kind.event, document: document, target: target, message: message))
    }
}

/// What the worker reports: the public event kinds, plus a repeated failure of a link already
/// known to be down (journalled at debug level).
enum EmittedKind {
    case delivered, retrying, retryingAgain, needsAttention, corrupt, held, deferred

    init(_ kind: DeliveryEvent.Kind) {
        switch kind {
        case .delivered: self = .delivered
        case .retrying: self = .retrying
        case .needsAttention: self = .needsAttention
        case .corrupt: self = .corrupt
        case .held: self = .held
        case .deferred: self = .deferred
        }
    }

    var event: DeliveryEvent.Kind {
        switch self {
        case .delivered: .delivered
        case .retrying, .retryingAgain: .retrying
        case .needsAttention: .needsAttention
        case .corrupt: .corrupt
        case .held: .held
        case .deferred: .deferred
        }
    }
}
