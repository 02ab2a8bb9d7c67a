import IntakeCore
public import Foundation
import GRDB

extension Register {
    // MARK: - outbox: what is due

    /// The delivery order as SQL, from `Urgency.priority` (the enum decides, not this text).
    private static let priority: String = {
        let cases = Urgency.allCases.sorted { $0.priority < $1.priority }
            .map { "WHEN '\($0.stored)' THEN \($0.priority)" }.joined(separator: " ")
        return "CASE d.urgency \(cases) ELSE \(Urgency.normal.priority) END"
    }()

    /// Pending deliveries due at `now`: hỏa tốc first, then thượng khẩn, khẩn, thường; then by
    /// year and number. Targets in `excluding` (links backing off) are left out.
    public func dueDeliveries(now: Date, limit: Int, excluding: Set<String> = []) throws -> [OutboxItem] {
        try read { db in
            let skipped = excluding.sorted()
            let filter = skipped.isEmpty ? "" : " AND o.target NOT IN (\(skipped.map { _ in "?" }.joined(separator: ",")))"
            var arguments = StatementArguments([Millis.of(now)])
            arguments += StatementArguments(skipped)
            arguments += [limit]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id AS outboxID, o.target, o.attempts, o.transferState, d.*
                    FROM outbox o JOIN document d ON d.id = o.documentID
                    WHERE o.state = 'pending' AND o.nextAttemptAtMs <= ?\(filter)
                    ORDER BY \(Self.priority), d.year, d.number, d.book, o.id
                    LIMIT ?
                    """,
                arguments: arguments)
            return try rows.map { row in
                OutboxItem(
                    id: row["outboxID"], target: row["target"], attempts: row["attempts"],
                    document: try DocumentRecord(row: row).document(in: files.root), transferState: row["transferState"])
            }
        }
    }

    /// When the next pending delivery falls due (nil when nothing is pending).
    public func nextDueDate() throws -> Date? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(nextAttemptAtMs) FROM outbox WHERE state = 'pending'")
                .map(Millis.date)
        }
    }

    // MARK: - outbox: the link to a target

    /// The link to `target` failed: none of its pending deliveries is tried before `until`, so
    /// they all fall due together and go in priority order when the link answers again.
    public func postponeTarget(_ target: String, until: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET nextAttemptAtMs = ? WHERE target = ? AND state = 'pending' AND nextAttemptAtMs < ?",
                arguments: [Millis.of(until), target, Millis.of(until)])
        }
    }

    /// Targets with at least one delivery still to try.
    public func targetsWithPendingDeliveries() throws -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT target FROM outbox WHERE state = 'pending'")) }
    }

    /// The link to `target` answered: its whole backlog is due now (in priority order).
    public func resumeTarget(_ target: String, now: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET nextAttemptAtMs = ? WHERE target = ? AND state = 'pending' AND nextAttemptAtMs > ?",
                arguments: [Millis.of(now), target, Millis.of(now)])
        }
    }

    // MARK: - outbox: results

    /// Stores the attempt and moves the outbox row to its new state, in one transaction.
    /// An attempt that ends while the row is held leaves it held (unless it was delivered).
    public func recordAttempt(_ attempt: DeliveryAttempt) throws {
        try write { db in
            guard var outbox = try OutboxRecord.fetchOne(db, key: attempt.outboxID) else {
                throw RegistryError.notFound("mục gửi #\(attempt.outboxID)")
            }
            let atMs = Millis.of(attempt.at)
            var record = AttemptRecord(outboxID: attempt.outboxID, atMs: atMs, outcome: "", status: nil)
            let held = outbox.state == OutboxState.held.stored
            outbox.attempts += 1
            switch attempt.outcome {
            case let .delivered(status, receipt):
                record.outcome = "delivered"
                record.status = status
                record.receipt = receipt
                outbox.state = OutboxState.delivered.stored
                outbox.deliveredAtMs = atMs
                outbox.receipt = receipt
                outbox.lastStatus = status
                outbox.lastError = nil
                outbox.heldReason = nil
            case let .retry(status, error, nextAttemptAt):
                record.outcome = "retry"
                record.status = status
                record.error = error
                outbox.lastStatus = status
                outbox.lastError = error
                outbox.nextAttemptAtMs = Millis.of(nextAttemptAt)
                if !held { outbox.state = OutboxState.pending.stored }
            case let .needsAttention(status, message):
                record.outcome = "needsAttention"
                record.status = status
                record.error = message
                outbox.lastStatus = status
                outbox.lastError = message
                if !held { outbox.state = OutboxState.needsAttention.stored }
            case let .corrupt(message):
                record.outcome = "corrupt"
                record.error = message
                outbox.lastError = message
                if !held { outbox.state = OutboxState.corrupt.stored }
            }
            try record.insert(db)
            try outbox.update(db)
        }
    }

    // MARK: - outbox: technician actions

    /// Stops delivery of a document (to one target, or all) until released.
    public func hold(documentID: String, target: String? = nil, reason: String) throws {
        let reason = Text.nfc(reason)
        guard !reason.isEmpty else {
            throw RegistryError.invalidField("Phải ghi lý do tạm giữ.", detail: "empty hold reason")
        }
        try write { db in
            try changeOutbox(db, documentID: documentID, target: target, from: ["pending", "needsAttention", "corrupt"]) {
                $0.state = OutboxState.held.stored
                $0.heldReason = reason
            }
        }
    }

    public func hold(book: String, year: Int, number: Int, target: String? = nil, reason: String) throws {
        try hold(documentID: try id(book: book, year: year, number: number), target: target, reason: reason)
    }

    /// Lets a held delivery go again at once. A voided document's deliveries cannot be released.
    public func release(documentID: String, target: String? = nil) throws {
        try write { db in
            guard let document = try DocumentRecord.fetchOne(db, key: documentID) else {
                throw RegistryError.notFound("văn bản \(documentID)")
            }
            guard document.state == "registered" else {
                throw RegistryError(
                    .alreadyVoided, "Văn bản số \(document.number) đã hủy, không gửi đi.",
                    detail: "release of voided \(documentID)")
            }
            guard document.number > 0 else {
                throw RegistryError(
                    .invalidState, "Văn bản mang số tạm \(StampEntry.text(of: document.number)): chỉ gửi đi khi trung tâm cấp số chính thức.",
                    detail: "release of provisional \(documentID)")
            }
            let now = Millis.of(clock.now())
            try changeOutbox(db, documentID: documentID, target: target, from: ["held"]) {
                $0.state = OutboxState.pending.stored
                $0.heldReason = nil
                $0.nextAttemptAtMs = now
            }
        }
    }

    public func release(book: String, year: Int, number: Int, target: String? = nil) throws {
        try release(documentID: try id(book: book, year: year, number: number), target: target)
    }

    /// Makes a pending, failed or corrupt delivery due now.
    public func retryNow(documentID: String, target: String? = nil) throws {
        let now = Millis.of(clock.now())
        try write { db in
            try changeOutbox(db, documentID: documentID, target: target, from: ["pending", "needsAttention", "corrupt"]) {
                $0.state = OutboxState.pending.stored
                $0.nextAttemptAtMs = now
            }
        }
    }

    public func retryNow(book: String, year: Int, number: Int, target: String? = nil) throws {
        try retryNow(documentID: try id(book: book, year: year, number: number), target: target)
    }

    /// Makes every pending or needs-attention delivery due now, to every target or to `target`
    /// only (held and corrupt ones stay: a corrupt file is retried one entry at a time).
    public func retryAll(target: String? = nil) throws {
        let now = Millis.of(clock.now())
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'pending', nextAttemptAtMs = ? WHERE state IN ('pending', 'needsAttention')"
                    + (target == nil ? "" : " AND target = ?"),
                arguments: StatementArguments([now as (any DatabaseValueConvertible)?] + (target.map { [$0] } ?? [])))
        }
    }

    private func changeOutbox(
        _ db: Database, documentID: String, target: String?, from states: Set<String>,
        _ change: (inout OutboxRecord) -> Void
    ) throws {
        var request = OutboxRecord.filter(OutboxRecord.Columns.documentID == documentID)
        if let target { request = request.filter(OutboxRecord.Columns.target == target) }
        let rows = try request.fetchAll(db)
        guard !rows.isEmpty else {
            throw RegistryError.notFound("mục gửi của văn bản \(documentID)" + (target.map { " tới \($0)" } ?? ""))
        }
        for var row in rows where states.contains(row.state) {
            change(&row)
            try row.update(db)
        }
    }

    private func id(book: String, year: Int, number: Int) throws -> String {
        try read { db in try existing(db, book: book, year: year, number: number).id }
    }

    // MARK: - outbox: what the technician sees

    /// The delivery queue, optionally narrowed to some states, in delivery order.
    public func queue(states: Set<OutboxState>? = nil) throws -> [OutboxEntry] {
        try read { db in
            var sql = """
                SELECT o.*, d.urgency, d.secrecy, d.book, d.year, d.number, d.arrivedAtMs
                FROM outbox o JOIN document d ON d.id = o.documentID
                """
            var arguments = StatementArguments()
            if let states {
                let list = states.map(\.stored).sorted()
                sql += " WHERE o.state IN (\(list.map { _ in "?" }.joined(separator: ",")))"
                arguments = StatementArguments(list)
            }
            sql += " ORDER BY \(Self.priority), d.year, d.number, d.book, o.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                OutboxEntry(
                    id: row["id"], documentID: row["documentID"], target: row["target"],
                    state: OutboxState.fromStored(row["state"]) ?? .pending, attempts: row["attempts"],
                    nextAttemptAt: Millis.date(row["nextAttemptAtMs"]), lastError: row["lastError"],
                    lastStatus: row["lastStatus"], heldReason: row["heldReason"],
                    deliveredAt: (row["deliveredAtMs"] as Int64?).map(Millis.date), receipt: row["receipt"],
                    urgency: Urgency.fromStored(row["urgency"]) ?? .normal,
                    secrecy: Secrecy(stored: row["secrecy"]), book: row["book"],
                    year: row["year"], number: row["number"], arrivedAt: Millis.date(row["arrivedAtMs"]))
            }
        }
    }

    /// How many outbox rows are in each state (states with none are absent).
    public func queueCounts() throws -> [OutboxState: Int] {
        try read { db in
            var counts: [OutboxState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") {
                if let state = OutboxState.fromStored(row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// Arrival time of the oldest document with a delivery not yet confirmed.
    public func oldestUndelivered() throws -> Date? {
        try read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MIN(d.arrivedAtMs) FROM outbox o JOIN document d ON d.id = o.documentID
                    WHERE o.state != 'delivered'
                    """
            ).map(Millis.date)
        }
    }
}
