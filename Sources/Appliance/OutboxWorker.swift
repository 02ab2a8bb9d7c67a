import Foundation
public import Delivery
import IntakeCore
import IntakeDigest
public import Logging
public import Registry

/// Drains the outbox: hỏa tốc first, then by number; verifies each file before sending;
/// retries transient failures with full-jitter backoff honouring Retry-After; parks permanent
/// ones for a technician; never sends a classified document to a target that is not secure.
public final class OutboxWorker: Sendable {
    private let register: Register
    private let targets: [String: any DeliveryTarget]
    private let policy: RetryPolicy
    private let clock: any WallClock
    let logger: Logger
    let onEvent: @Sendable (DeliveryEvent) -> Void
    private let organisationCode: String
    /// The link to each target: backoff belongs to the link, not to each document. A target
    /// that failed transiently is left alone until its next probe; when it answers, its whole
    /// backlog falls due and goes in priority order. Repeated failures go to the journal at
    /// debug level: one warning when a link goes down, one notice when it is back.
    private let links = TargetLinks()
    /// Every rule a document passes before it leaves (secrecy, hold window, marks check).
    private let gate: ReleaseGate
    /// Opens sealed (encrypted) documents for the upload; nil on a box without the key.
    private let classifiedFiles: ClassifiedFiles?

    /// Without a `gate`, the fail-closed one: no hold window, and no classified document leaves.
    public init(register: Register, organisationCode: String, targets: [any DeliveryTarget], policy: RetryPolicy, clock: any WallClock,
                logger: Logger, gate: ReleaseGate? = nil, classifiedFiles: ClassifiedFiles? = nil,
                onEvent: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) {
        self.gate = gate ?? ReleaseGate(network: .internet, release: .immediate,
                                        targets: targets.map { .init(name: $0.name, classified: false, channel: .network(mutualTLS: false)) })
        self.classifiedFiles = classifiedFiles
        self.register = register
        self.organisationCode = organisationCode
        self.targets = Dictionary(targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.policy = policy
        self.clock = clock
        self.logger = logger
        self.onEvent = onEvent
    }

    public struct Report: Sendable, Equatable {
        public var delivered = 0
        public var retrying = 0
        public var needsAttention = 0
        public var corrupt = 0
        public var held = 0
        public var attempted: Int { delivered + retrying + needsAttention + corrupt }
    }

    /// Works through everything due now, one document at a time in priority order.
    /// Stops early when a target fails transiently, so an offline centre is not hammered.
    public func drainDue(batch: Int = 50) async throws -> Report {
        var report = Report()
        var unreachable = Set<String>()
        while !Task.isCancelled {
            let now = clock.now()
            let due = try register.dueDeliveries(now: now, limit: batch, excluding: unreachable.union(links.backingOff(at: now)))
            if due.isEmpty { break }
            for item in due {
                if Task.isCancelled { break }
                if unreachable.contains(item.target) { continue }
                let kind = try await deliver(item, readAt: now)
                switch kind {
                case .delivered: report.delivered += 1
                case .retrying:
                    report.retrying += 1
                    unreachable.insert(item.target)
                case .needsAttention: report.needsAttention += 1
                case .corrupt: report.corrupt += 1
                case .held: report.held += 1
                case .deferred: break
                }
            }
        }
        // A target with nothing left to deliver is not "offline": its link is probed again
        // with the next document, and the status screen stops saying so.
        links.forget(except: try register.targetsWithPendingDeliveries())
        return report
    }

    /// Runs until cancelled: drains what is due, then sleeps until the next retry is due or
    /// `wake` is signalled (a new document was registered).
    public func run(wake: Wakeup, maximumSleep: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            do {
                _ = try await drainDue()
            } catch {
                logger.error("outbox: cannot read the register", metadata: ["error": "\(error)"])
            }
            var sleep = maximumSleep
            if let next = try? register.nextDueDate() {
                let seconds = max(0.05, next.timeIntervalSince(clock.now()))
                sleep = min(sleep, .milliseconds(Int64(seconds * 1000)))
            }
            await wake.wait(for: sleep)
        }
    }

    private func deliver(_ item: OutboxItem, readAt: Date) async throws -> DeliveryEvent.Kind {
        let document = item.document
        let now = clock.now()
        guard let target = targets[item.target] else {
            let message = "delivery target '\(item.target)' is no longer in the configuration"
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: now, outcome: .needsAttention(status: nil, message: message)))
            emit(.needsAttention, document, item.target, message)
            return .needsAttention
        }
        switch gate.decide(document, to: target.name, now: readAt) {
        case .release: break
        case let .wait(until, reason):
            try register.postpone(outboxID: item.id, until: until)
            emit(.deferred, document, item.target, reason)
            return .deferred
        case let .hold(reason):
            try register.hold(documentID: document.id, target: item.target, reason: reason)
            emit(.held, document, item.target, reason)
            return .held
        }
        let actual: String
        do {
            actual = try FileDigest.sha256(path: document.path)
        } catch where error.operation == .open && error.errno == ENOENT && item.attempts < 5 {
            // The register commits before it moves the file to its final name; a worker that
            // looks in between finds nothing yet. Look again shortly; only a file still missing
            // after several looks is reported (recovery at start-up voids a row whose file is gone).
            // Decided on the open's own errno: checking the path again could see the file that
            // arrived a moment later and take the miss for a corrupt file.
            let message = "the PDF is not in place yet (\(document.path)); looking again shortly"
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: now,
                                                       outcome: .retry(status: nil, error: message, nextAttemptAt: now.addingTimeInterval(2))))
            return .deferred
        } catch {
            let message = "the PDF cannot be read: \(error)"
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: now, outcome: .corrupt(message: message)))
            emit(.corrupt, document, item.target, message)
            return .corrupt
        }
        guard actual == document.sha256 else {
            let message = "the PDF on disk no longer matches its checksum (expected \(document.sha256.prefix(12))…, found \(actual.prefix(12))…); not sent"
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: now, outcome: .corrupt(message: message)))
            emit(.corrupt, document, item.target, message)
            return .corrupt
        }
        var metadata = Self.metadata(document, organisationCode: organisationCode)
        var filePath = document.path
        var plainCopy: ClassifiedFiles.PlainCopy?
        defer { plainCopy?.remove() }
        if document.storage == .sealed {
            do {
                guard let classifiedFiles else {
                    throw SecrecyError(.keyMissing, "Chưa có khóa mã hóa văn bản mật.", detail: "no at-rest key to open \(document.path)")
                }
                let copy = try classifiedFiles.plainCopy(of: document)
                plainCopy = copy
                (filePath, metadata.sha256) = (copy.path, copy.sha256)
            } catch {
                let message = "the sealed PDF cannot be opened: \(error)"
                try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: now, outcome: .needsAttention(status: nil, message: message)))
                emit(.needsAttention, document, item.target, message)
                return .needsAttention
            }
        }
        // A secrecy correction committed since the queue was read stops the upload here.
        guard try register.isStillDeliverable(outboxID: item.id) else { return .deferred }
        let outcome = await target.deliver(DeliveryItem(
            metadata: metadata, filePath: filePath,
            resumeState: item.transferState, saveResumeState: { [register] state in try register.setTransferState(outboxID: item.id, state) }))
        let finished = clock.now()
        switch outcome {
        case let .delivered(status, receipt):
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: finished, outcome: .delivered(status: status, receipt: receipt)))
            try linkAnswered(item.target, at: finished)
            emit(.delivered, document, item.target, receipt.map { "receipt \($0)" } ?? "delivered")
            return .delivered
        case let .transient(status, message, retryAfter):
            var rng = SystemRandomNumberGenerator()
            let failures = links.failures(of: item.target)
            let delay = policy.delay(attempt: failures, retryAfter: retryAfter, using: &rng)
            let next = finished.addingTimeInterval(delay.seconds)
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: finished, outcome: .retry(status: status, error: message, nextAttemptAt: next)))
            try register.postponeTarget(item.target, until: next)
            let wentDown = links.failed(item.target, until: next)
            emit(wentDown ? .retrying : .retryingAgain, document, item.target, "\(message); next try \(next.formatted(.iso8601))")
            return .retrying
        case let .permanent(status, message):
            // The centre answered: the link is up even though this document was refused.
            try linkAnswered(item.target, at: finished)
            try register.recordAttempt(DeliveryAttempt(outboxID: item.id, at: finished, outcome: .needsAttention(status: status, message: message)))
            emit(.needsAttention, document, item.target, message)
            return .needsAttention
        }
    }

    /// A target answered: if its link was down, its backlog is due now, in priority order.
    private func linkAnswered(_ target: String, at now: Date) throws {
        guard links.answered(target) else { return }
        try register.resumeTarget(target, now: now)
        logger.notice("target reachable again; delivering the backlog in priority order", metadata: ["target": "\(target)"])
    }

    /// Targets whose link is down now (for the status screen and `intake status`).
    public func offlineTargets() -> Set<String> { links.down() }

    /// The metadata the centre receives with the PDF.
    static func metadata(_ document: RegisteredDocument, organisationCode: String) -> DocumentMetadata {
        var fields: [String: String] = [:]
        let f = document.fields
        for (key, value) in [("sender", f.sender), ("notation", f.notation), ("documentDate", f.documentDate),
                             ("summary", f.summary), ("recipient", f.recipient), ("forwardedDate", f.forwardedDate),
                             ("notes", f.notes)] {
            if let value, !value.isEmpty { fields[key] = value }
        }
        return DocumentMetadata(
            documentID: document.id, organisationCode: organisationCode, book: document.book,
            year: document.year, number: document.number, arrivedAt: VietnamTime.iso8601(document.arrivedAt),
            urgency: document.urgency.decreeName, secrecy: document.secrecy.decreeName,
            classified: document.secrecy.isClassified, pages: document.pages, sha256: document.sha256, fields: fields
        )
    }
}
