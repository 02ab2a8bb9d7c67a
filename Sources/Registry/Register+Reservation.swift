import IntakeCore
public import Foundation
import GRDB

/// A number reserved before the paper passes a scanner's imprinter: the paper then carries it, so
/// the registration that follows must get exactly this number. A batch re-fed after a jam gets the
/// same reservation again; an abandoned one is voided with a reason and stays in the register.
public struct NumberReservation: Sendable, Equatable {
    public var id: String
    public var book: String
    public var year: Int
    public var number: Int
    public var profile: String
    public var reservedAt: Date

    public init(id: String, book: String, year: Int, number: Int, profile: String, reservedAt: Date) {
        self.id = id
        self.book = book
        self.year = year
        self.number = number
        self.profile = profile
        self.reservedAt = reservedAt
    }
}

extension Schema {
    /// Called by `Schema.migrator`: reservations live beside the documents, and `nextNumber`
    /// counts them, so a reserved number is never given to another document.
    static func registerReservationMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-reservations") { db in
            try db.execute(sql: """
                CREATE TABLE reservation (
                    id TEXT PRIMARY KEY NOT NULL,
                    book TEXT NOT NULL CHECK (length(book) > 0),
                    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
                    number INTEGER NOT NULL CHECK (number >= 1),
                    profile TEXT NOT NULL,
                    secrecy TEXT NOT NULL,
                    reservedAtMs INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('open', 'used', 'voided')),
                    documentID TEXT,
                    voidReason TEXT,
                    UNIQUE (book, year, number),
                    CHECK (state != 'used' OR documentID IS NOT NULL),
                    CHECK (state != 'voided' OR length(trim(coalesce(voidReason, ''))) > 0)
                )
                """)
        }
    }
}

extension Register {
    /// The open reservation of this profile in the book `secrecy` selects (the same batch fed
    /// again after a jam keeps its number), or a new one: the next number of the book, counting
    /// documents and reservations.
    public func reserveNumber(profile: String, secrecy: Secrecy) throws -> NumberReservation {
        if let problem = identityCheck() { throw problem }
        let now = clock.now()
        let book = configuration.book(for: secrecy)
        let year = configuration.year(of: now)
        return try write { db in
            let status = try clockStatus(db, now: now)
            guard status.isOK else { throw RegistryError.clockWrong(status.message, detail: "\(status.verdict)") }
            if let row = try Row.fetchOne(db, sql: """
                SELECT * FROM reservation WHERE state = 'open' AND book = ? AND year = ? AND profile = ?
                ORDER BY number LIMIT 1
                """, arguments: [book, year, profile]) {
                return Self.reservation(row)
            }
            let reservation = NumberReservation(
                id: UUID().uuidString.lowercased(), book: book, year: year,
                number: try nextNumber(db, book: book, year: year), profile: profile, reservedAt: now)
            try db.execute(sql: """
                INSERT INTO reservation (id, book, year, number, profile, secrecy, reservedAtMs, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'open')
                """, arguments: [reservation.id, book, year, reservation.number, profile, secrecy.stored, Millis.of(now)])
            return reservation
        }
    }

    /// Reservations not yet registered nor voided.
    public func openReservations() throws -> [NumberReservation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reservation WHERE state = 'open' ORDER BY book, year, number")
                .map(Self.reservation)
        }
    }

    /// An abandoned batch: the printed number is voided with `reason` and stays in the register
    /// as a voided entry (never a silent gap).
    public func voidReservation(id: String, reason: String) throws {
        let reason = try Text.checked(Text.nfc(reason), field: "reason")
        guard !reason.isEmpty else {
            throw RegistryError.invalidField("Phải ghi lý do hủy.", detail: "empty void reason")
        }
        let record: DocumentRecord = try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM reservation WHERE id = ?", arguments: [id]) else {
                throw RegistryError.notFound("reservation \(id)")
            }
            let state: String = row["state"]
            guard state == "open" else {
                throw RegistryError(.invalidState, "Số giữ trước này đã được dùng hoặc đã hủy.", detail: "reservation \(id) is \(state)")
            }
            let reservation = Self.reservation(row)
            let secrecy: String = row["secrecy"]
            let documentID = documentID(book: reservation.book, year: reservation.year, number: reservation.number, uuid: id)
            let record = DocumentRecord(
                id: documentID, uuid: id, book: reservation.book, year: reservation.year, number: reservation.number,
                arrivedAtMs: Millis.of(reservation.reservedAt), pages: 0, sha256: "", path: "", profile: reservation.profile,
                urgency: Urgency.normal.stored, secrecy: secrecy, state: "voided", voidReason: reason)
            try record.insert(db)
            try db.execute(sql: "UPDATE reservation SET state = 'voided', voidReason = ?, documentID = ? WHERE id = ?",
                           arguments: [reason, documentID, id])
            try appendAudit(db, action: "void", record: record, now: clock.now(), detail: [
                "reason": reason, "reservation": id, "number": String(reservation.number),
            ])
            return record
        }
        noteGiven(book: record.book, year: record.year, number: record.number)
    }

    /// The reserved number for a registration that carries a reservation (inside its transaction).
    func claimReservation(_ db: Database, id: String, book: String, year: Int) throws -> Int {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM reservation WHERE id = ?", arguments: [id]) else {
            throw RegistryError.notFound("reservation \(id)")
        }
        let reservation = Self.reservation(row)
        let state: String = row["state"]
        guard state == "open", reservation.book == book, reservation.year == year else {
            throw RegistryError(
                .invalidState, "Số \(reservation.number) đã in trên giấy không còn dùng được — báo kỹ thuật viên.",
                detail: "reservation \(id) is \(state) for \(reservation.book)/\(reservation.year); registration is for \(book)/\(year)")
        }
        return reservation.number
    }

    func markReservationUsed(_ db: Database, id: String, documentID: String) throws {
        try db.execute(sql: "UPDATE reservation SET state = 'used', documentID = ? WHERE id = ?", arguments: [documentID, id])
    }

    /// Numbers reserved and not yet registered or voided (recovery must not fill them as gaps).
    static func openReservedNumbers(_ db: Database, book: String, year: Int) throws -> Set<Int> {
        Set(try Int.fetchAll(db, sql: "SELECT number FROM reservation WHERE state = 'open' AND book = ? AND year = ?",
                             arguments: [book, year]))
    }

    /// The highest reserved number in a book and year.
    static func highestReserved(_ db: Database, book: String, year: Int) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT MAX(number) FROM reservation WHERE book = ? AND year = ?", arguments: [book, year])
    }

    private static func reservation(_ row: Row) -> NumberReservation {
        NumberReservation(id: row["id"], book: row["book"], year: row["year"], number: row["number"],
                          profile: row["profile"], reservedAt: Millis.date(row["reservedAtMs"]))
    }
}
