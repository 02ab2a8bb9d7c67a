import Foundation
public import Logging
public import Registry

/// Removes the local PDF of documents delivered longer ago than `[retention]` says (the register
/// row stays; an audit entry records the removal). Classified documents follow their own rule.
public struct RetentionSweeper: Sendable {
    public let register: Register
    public let retention: Configuration.Retention
    public let clock: any WallClock

    public init(register: Register, retention: Configuration.Retention, clock: any WallClock) {
        self.register = register
        self.retention = retention
        self.clock = clock
    }

    public struct Result: Sendable {
        public var candidates: [RetentionCandidate]
        public var removed: [RetentionCandidate]
        public var failures: [String]
    }

    /// What would be removed now.
    public func candidates() throws -> [RetentionCandidate] {
        let now = clock.now()
        func cutoff(_ days: Int) -> Date? { days > 0 ? now.addingTimeInterval(-Double(days) * 86_400) : nil }
        guard let delivered = cutoff(retention.deliveredDays) ?? (retention.classifiedDays > 0 ? Date.distantPast : nil) else {
            return []
        }
        return try register.retentionCandidates(deliveredBefore: delivered, classifiedBefore: cutoff(retention.classifiedDays))
    }

    /// Removes the candidates' local copies (or only lists them with `dryRun`).
    public func sweep(dryRun: Bool, logger: Logger? = nil) throws -> Result {
        let found = try candidates()
        var result = Result(candidates: found, removed: [], failures: [])
        guard !dryRun else { return result }
        for candidate in found {
            let days = candidate.secrecy.isClassified ? retention.classifiedDays : retention.deliveredDays
            do {
                try register.removeLocalCopy(
                    candidate, reason: "Hết thời hạn lưu bản địa phương (\(days) ngày sau khi gửi thành công)")
                result.removed.append(candidate)
            } catch {
                result.failures.append("\(candidate.id): \(error)")
                logger?.error("retention could not remove a local copy", metadata: ["document": "\(candidate.id)", "error": "\(error)"])
            }
        }
        if !result.removed.isEmpty {
            logger?.notice("retention removed local copies of delivered documents", metadata: [
                "count": "\(result.removed.count)", "delivered_days": "\(retention.deliveredDays)",
                "classified_days": "\(retention.classifiedDays)",
            ])
        }
        return result
    }
}

extension RetentionSweeper {
    /// The daemon's sweep: once shortly after start, then every `[retention] sweep_minutes`,
    /// reading the configuration in force each time (a reload applies at the next sweep).
    static func runPeriodically(_ live: LiveConfiguration, logger: Logger) async {
        try? await Task.sleep(for: .seconds(60))
        while !Task.isCancelled {
            let context = live.context
            let sweeper = RetentionSweeper(register: context.register, retention: context.configuration.retention, clock: context.clock)
            do {
                _ = try sweeper.sweep(dryRun: false, logger: logger)
            } catch {
                logger.error("retention sweep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: context.configuration.retention.sweepInterval)
        }
    }
}
