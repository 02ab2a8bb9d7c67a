import Delivery
public import Foundation
import Logging
import Synchronization
public import Registry

/// Keeps the ordinary book's number leases topped up and its provisional numbers confirmed,
/// against the one target marked `numbering_authority = true` (`[books] numbering = "leased"`).
///
/// Each round: first the provisional entries ("T-1", "T-2"…) are sent in arrival order and
/// confirmed one by one (re-stamped, released to delivery); then, if what is left of the blocks
/// is at most a quarter of the block the box would ask for now, one more block is asked for.
/// The block covers `coverDays` days of the recent average (registrations per day over the
/// last `averageDays` days), and never fewer than `minimumBlock` numbers (`[books] lease_minimum`, default 20).
public final class LeaseKeeper: Sendable {
    public static let coverDays = 3.0
    public static let averageDays = 14
    /// The smallest block asked for unless `[books] lease_minimum` says otherwise.
    public static let minimumBlock = 20
    /// Ask for the next block when this fraction of the wanted size is left.
    public static let lowFraction = 0.25

    public struct Round: Sendable, Equatable {
        public var confirmed: [String] = []
        public var leased: LeaseBlock?
        public var problem: String?
    }

    private let register: Register
    private let client: LeaseClient
    private let book: String
    private let source: String
    private let logger: Logger
    private let onConfirmed: @Sendable () -> Void
    private let minimumBlock: Int
    private let pendingRequest = Mutex<String?>(nil)

    init(register: Register, client: LeaseClient, book: String, source: String, logger: Logger,
                minimumBlock: Int = LeaseKeeper.minimumBlock, onConfirmed: @escaping @Sendable () -> Void = {}) {
        self.minimumBlock = minimumBlock
        self.register = register
        self.client = client
        self.book = book
        self.source = source
        self.logger = logger
        self.onConfirmed = onConfirmed
    }

    /// The size of the next block: `coverDays` of the recent daily average, at least `minimumBlock`.
    public func wantedBlockSize() throws -> Int {
        let perDay = try register.arrivalsPerDay(book: book, days: Self.averageDays)
        return max(minimumBlock, Int((perDay * Self.coverDays).rounded(.up)))
    }

    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            _ = await round()
            try? await Task.sleep(for: interval)
        }
    }

    /// One round of confirmations and top-up; a failure (offline) is logged and tried next round.
    public func round(now: Date = Date()) async -> Round {
        var result = Round()
        let year = register.configuration.year(of: now)
        do {
            for y in [year - 1, year] {
                let waiting = try register.unconfirmedProvisional(book: book, year: y)
                guard !waiting.isEmpty else { continue }
                let iso = ISO8601DateFormatter()
                iso.timeZone = register.configuration.timeZone
                let answers = try await client.confirm(
                    book: book, year: y, entries: waiting.map { ($0.text, iso.string(from: $0.arrivedAt)) })
                for (entry, answer) in zip(waiting, answers) {
                    let document = try register.confirmProvisional(book: book, year: y, seq: entry.seq, finalNumber: answer.number)
                    result.confirmed.append("\(entry.text)=\(document.number)")
                    logger.notice("provisional number confirmed (số tạm → số chính thức)", metadata: [
                        "provisional": "\(entry.text)", "number": "\(document.number)", "book": "\(book)", "year": "\(y)",
                        "sha256": "\(document.sha256)",
                    ])
                }
                if !answers.isEmpty { onConfirmed() }
            }
            let status = try register.leaseStatus(book: book, year: year)
            let wanted = try wantedBlockSize()
            if Double(status.remaining) <= Double(wanted) * Self.lowFraction {
                let requestID = pendingRequest.withLock { id in
                    if id == nil { id = UUID().uuidString.lowercased() }
                    return id ?? ""
                }
                let grant = try await client.requestLease(book: book, year: year, count: wanted, requestID: requestID)
                let block = try register.recordLease(book: book, year: year, first: grant.first, last: grant.last, source: source)
                pendingRequest.withLock { $0 = nil }
                result.leased = block
                logger.notice("number lease granted (khối số đến)", metadata: [
                    "book": "\(book)", "year": "\(year)", "first": "\(block.first)", "last": "\(block.last)",
                    "remaining_before": "\(status.remaining)",
                ])
            }
        } catch {
            result.problem = "\(error)"
            logger.info("number lease round incomplete; tried again later", metadata: ["error": "\(error)"])
        }
        return result
    }
}

extension LeaseKeeper {
    /// The keeper for `[books] numbering = "leased"`, or nil for local numbering.
    static func forDaemon(context: ApplianceContext, logger: Logger, onConfirmed: @escaping @Sendable () -> Void) throws -> LeaseKeeper? {
        let configuration = context.configuration
        guard configuration.books.numbering == .leased,
              let authority = configuration.targets.first(where: \.numberingAuthority) else { return nil }
        let token = try authority.tokenFile.map { try BearerToken.load(path: $0) }
        let client = LeaseClient(
            baseURL: authority.url ?? "", box: context.register.identityUUID ?? configuration.organisationCode, token: token,
            transport: try CurlTransport(settings: ApplianceContext.transportSettings(authority)))
        return LeaseKeeper(register: context.register, client: client, book: configuration.books.ordinary,
                           source: authority.name, logger: logger, minimumBlock: configuration.books.leaseMinimum,
                           onConfirmed: onConfirmed)
    }
}
