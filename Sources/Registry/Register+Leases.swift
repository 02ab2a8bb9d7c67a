import IntakeCore
public import Foundation
import GRDB

/// A block of số đến granted by the centre (the numbering authority) to this box.
public struct LeaseBlock: Sendable, Equatable, Codable {
    public var book: String
    public var year: Int
    public var first: Int
    public var last: Int
    public var grantedAt: Date
    /// Who granted it, e.g. the target's name.
    public var source: String

    public init(book: String, year: Int, first: Int, last: Int, grantedAt: Date, source: String) {
        self.book = book
        self.year = year
        self.first = first
        self.last = last
        self.grantedAt = grantedAt
        self.source = source
    }

    public var count: Int { last - first + 1 }
    func contains(_ number: Int) -> Bool { number >= first && number <= last }
}

/// How much of its leases a leased book has left.
public struct LeaseStatus: Sendable, Equatable {
    public var book: String
    public var year: Int
    /// Numbers not yet given in every block (the current one's tail and any later block).
    public var remaining: Int
    /// Size of the newest block (0 when none).
    public var lastBlockSize: Int
    /// Provisional entries still waiting for their final number.
    public var unconfirmed: Int
    public var blocks: [LeaseBlock]
}

/// A provisional entry waiting for the centre's final number, in arrival order.
public struct ProvisionalEntry: Sendable, Equatable, Codable {
    public var documentID: String
    public var book: String
    public var year: Int
    /// The T-number's sequence ("T-\(seq)").
    public var seq: Int
    public var arrivedAt: Date
    public var text: String { "T-\(seq)" }
}

extension StampEntry {
    /// "12" for a final number, "T-3" for a provisional one (stored as -3).
    public static func text(of number: Int) -> String { number < 0 ? "T-\(-number)" : String(number) }
    public var numberText: String { Self.text(of: number) }
    public var isProvisional: Bool { number < 0 }
}

extension RegisteredDocument {
    /// A provisional number ("T-3") is stored as -3 until the centre confirms it.
    public var isProvisional: Bool { number < 0 }
    /// "12" or "T-3".
    public var numberText: String { StampEntry.text(of: number) }
}

/// Draws the stamp again with the final number once a provisional one is confirmed: an
/// incremental update appended after the provisional stamp's (the earlier bytes are kept).
public protocol DocumentRestamper: DocumentStamper {
    func restamp(pdfAt path: String, entry: StampEntry) throws
}

private struct LeaseRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "lease"

    enum Columns: String, ColumnExpression {
        case book, year, first
    }
    var id: Int64?
    var book: String
    var year: Int
    var first: Int
    var last: Int
    var grantedAtMs: Int64
    var source: String

    var block: LeaseBlock {
        LeaseBlock(book: book, year: year, first: first, last: last, grantedAt: Millis.date(grantedAtMs), source: source)
    }
}

extension Register {
    /// The register's identity (UUID): who asks the centre for leases and confirmations.
    public var identityUUID: String? {
        (try? read { db in try String.fetchOne(db, sql: "SELECT uuid FROM register_identity LIMIT 1") }) ?? nil
    }

    static func provisionalHold(_ number: Int) -> String {
        "Số tạm \(StampEntry.text(of: number)): chờ trung tâm cấp số chính thức"
    }

    // MARK: - numbering from blocks

    func blocks(_ db: Database, book: String, year: Int) throws -> [LeaseBlock] {
        try LeaseRecord.filter(LeaseRecord.Columns.book == book && LeaseRecord.Columns.year == year)
            .order(LeaseRecord.Columns.first).fetchAll(db).map(\.block)
    }

    /// The lowest unused number of the first block not used up; blocks are used in order. When
    /// every block is used up, the next provisional number `-seq`.
    func nextLeasedNumber(_ db: Database, book: String, year: Int) throws -> Int {
        for block in try blocks(db, book: book, year: year) {
            let used = try Int.fetchOne(
                db, sql: "SELECT MAX(number) FROM document WHERE book = ? AND year = ? AND number BETWEEN ? AND ?",
                arguments: [book, year, block.first, block.last])
            guard let used else { return block.first }
            if used < block.last { return used + 1 }
        }
        let seq = try Int.fetchOne(
            db, sql: "SELECT MAX(seq) FROM provisional WHERE book = ? AND year = ?", arguments: [book, year]) ?? 0
        return -(seq + 1)
    }

    func recordProvisional(_ db: Database, record: DocumentRecord) throws {
        try db.execute(
            sql: "INSERT INTO provisional (documentID, book, year, seq, arrivedAtMs) VALUES (?, ?, ?, ?, ?)",
            arguments: [record.id, record.book, record.year, -record.number, record.arrivedAtMs])
    }

    /// Numbers of `book`/`year` that should be in the register and are not: 1…last for local
    /// numbers; inside lease blocks, every number up to the last one given from the blocks.
    /// Confirmed final numbers and numbers the centre gave elsewhere are not gaps.
    func missingNumbers(_ db: Database, book: String, year: Int) throws -> [Int] {
        let numbers = Set(try Int.fetchAll(
            db, sql: "SELECT number FROM document WHERE book = ? AND year = ? AND number > 0", arguments: [book, year]))
        let blocks = try blocks(db, book: book, year: year)
        let finals = Set(try Int.fetchAll(
            db, sql: "SELECT finalNumber FROM provisional WHERE book = ? AND year = ? AND finalNumber IS NOT NULL",
            arguments: [book, year]))
        let leased = numbers.filter { n in blocks.contains { $0.contains(n) } }
        let local = numbers.subtracting(leased).subtracting(finals)
        var expected = Set(local.isEmpty ? [] : Array(1...(local.max() ?? 0)))
        if let top = leased.max() {
            for block in blocks where block.first <= top {
                expected.formUnion(block.first...min(block.last, top))
            }
        }
        return expected.subtracting(numbers).sorted()
    }

    // MARK: - leases

    /// Records a block granted by the centre. Refused if it overlaps a block already held or a
    /// number already in the book (the centre would then be duplicating numbers).
    public func recordLease(book: String, year: Int, first: Int, last: Int, source: String) throws -> LeaseBlock {
        guard first >= 1, last >= first else {
            throw RegistryError.invalidField(
                "Khối số do trung tâm cấp không hợp lệ (\(first)–\(last)).", detail: "lease \(book)/\(year) \(first)...\(last)")
        }
        return try write { db in
            for block in try blocks(db, book: book, year: year) where block.first <= last && first <= block.last {
                throw RegistryError(
                    .duplicate, "Khối số \(first)–\(last) trùng khối đã nhận \(block.first)–\(block.last).",
                    detail: "lease \(book)/\(year) \(first)...\(last) overlaps \(block.first)...\(block.last)")
            }
            if let taken = try Int.fetchOne(
                db, sql: "SELECT MIN(number) FROM document WHERE book = ? AND year = ? AND number BETWEEN ? AND ?",
                arguments: [book, year, first, last])
            {
                throw RegistryError(
                    .duplicate, "Khối số \(first)–\(last) chứa số \(taken) đã có trong sổ.",
                    detail: "lease \(book)/\(year) \(first)...\(last) contains registered \(taken)")
            }
            var record = LeaseRecord(
                book: book, year: year, first: first, last: last, grantedAtMs: Millis.of(clock.now()), source: source)
            try record.insert(db)
            return record.block
        }
    }

    /// The blocks, what is left of them and how many provisional entries wait, for `book`/`year`.
    public func leaseStatus(book: String, year: Int) throws -> LeaseStatus {
        try read { db in
            let blocks = try blocks(db, book: book, year: year)
            var remaining = 0
            for block in blocks {
                let used = try Int.fetchOne(
                    db, sql: "SELECT MAX(number) FROM document WHERE book = ? AND year = ? AND number BETWEEN ? AND ?",
                    arguments: [book, year, block.first, block.last])
                remaining += block.last - (used ?? (block.first - 1))
            }
            let waiting = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM provisional WHERE book = ? AND year = ? AND finalNumber IS NULL",
                arguments: [book, year]) ?? 0
            return LeaseStatus(
                book: book, year: year, remaining: remaining, lastBlockSize: blocks.last?.count ?? 0,
                unconfirmed: waiting, blocks: blocks)
        }
    }

    /// Registrations per day in `book` over the last `days` days (at least 1 day), to size leases.
    public func arrivalsPerDay(book: String, days: Int) throws -> Double {
        let days = max(1, days)
        let since = Millis.of(clock.now()) - Int64(days) * 86_400_000
        let count = try read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM document WHERE book = ? AND arrivedAtMs >= ? AND profile != 'gap'",
                arguments: [book, since]) ?? 0
        }
        return Double(count) / Double(days)
    }

    /// Provisional entries still waiting for a final number, in arrival order.
    public func unconfirmedProvisional(book: String, year: Int) throws -> [ProvisionalEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT documentID, book, year, seq, arrivedAtMs FROM provisional
                    WHERE book = ? AND year = ? AND finalNumber IS NULL ORDER BY seq
                    """, arguments: [book, year]
            ).map {
                ProvisionalEntry(
                    documentID: $0["documentID"], book: $0["book"], year: $0["year"], seq: $0["seq"],
                    arrivedAt: Millis.date($0["arrivedAtMs"]))
            }
        }
    }
}
