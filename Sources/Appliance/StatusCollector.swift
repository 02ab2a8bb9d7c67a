import Foundation
public import Registry

extension StatusReport {
    /// Reads what the register knows; the daemon part is added by the daemon itself.
    public static func collect(_ context: ApplianceContext, daemon: Daemon? = nil) throws -> StatusReport {
        let register = context.register
        let clock = try register.clockCheck()
        var queue: [String: Int] = [:]
        for (state, count) in try register.queueCounts() { queue[state.rawValue] = count }
        return StatusReport(
            daemon: daemon,
            lastNumbers: try register.lastNumbers().map { BookNumber(book: $0.book, year: $0.year, number: $0.number) },
            queue: queue,
            oldestUndelivered: try register.oldestUndelivered(),
            clock: Clock(ok: clock.isOK, now: clock.now, message: clock.message),
            disk: context.diskGuard.check(),
            lastBackup: BackupRecord.load(stateDirectory: context.configuration.paths.stateDirectory),
            leases: try leases(context)
        )
    }

    /// The ordinary book's leases this year when the box numbers from leased blocks.
    static func leases(_ context: ApplianceContext) throws -> Leases? {
        let books = context.configuration.books
        guard books.numbering == .leased else { return nil }
        let status = try context.register.leaseStatus(book: books.ordinary, year: context.currentYear)
        return Leases(book: status.book, year: status.year, remaining: status.remaining, unconfirmed: status.unconfirmed)
    }

    /// Whether anything needs a technician: exit code 3 for `intake status`.
    public var needsAttention: Bool {
        !clock.ok || !disk.ok || (queue["needsAttention"] ?? 0) > 0 || (queue["corrupt"] ?? 0) > 0
            || (daemon.map { $0.deviceState != .connected } ?? false)
    }
}

extension DocumentSummary {
    public init(_ document: RegisteredDocument) {
        self.init(id: document.id, book: document.book, year: document.year, number: document.number, pages: document.pages,
                  urgency: document.urgency.rawValue, secrecy: document.secrecy.rawValue, path: document.path,
                  arrivedAt: document.arrivedAt, notice: SecrecyRules.clerkNotice(for: document))
    }
}
