public import Foundation
import GRDB

extension Register {
    // MARK: - reading

    public func document(book: String, year: Int, number: Int) throws -> RegisteredDocument? {
        try read { db in
            try DocumentRecord.numbered(book: book, year: year, number: number)
                .fetchOne(db)?.document(in: files.root)
        }
    }

    public func document(id: String) throws -> RegisteredDocument? {
        try read { db in try DocumentRecord.fetchOne(db, key: id)?.document(in: files.root) }
    }

    /// Entries in register order (book, year, number), optionally narrowed; `to` is exclusive.
    public func list(book: String? = nil, year: Int? = nil, from: Date? = nil, to: Date? = nil) throws
        -> [RegisteredDocument]
    {
        try read { db in
            var request = DocumentRecord.all()
            if let book { request = request.filter(DocumentRecord.Columns.book == book) }
            if let year { request = request.filter(DocumentRecord.Columns.year == year) }
            if let from { request = request.filter(DocumentRecord.Columns.arrivedAtMs >= Millis.of(from)) }
            if let to { request = request.filter(DocumentRecord.Columns.arrivedAtMs < Millis.of(to)) }
            return try request.order(DocumentRecord.registerOrder)
                .fetchAll(db).map { $0.document(in: files.root) }
        }
    }

    /// The last number given in every book and year.
    public func lastNumbers() throws -> [LastNumber] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT book, year, MAX(number) AS number FROM document GROUP BY book, year ORDER BY book, year"
            ).map { LastNumber(book: $0["book"], year: $0["year"], number: $0["number"]) }
        }
    }
}

// MARK: - raw access for tests (tamper simulation)

extension Register {
    /// Runs SQL behind the register's back. Only tests use it (`@testable import`), to simulate tampering.
    func unsafeExecute(_ sql: String, arguments: [String] = []) throws {
        try write { db in try db.execute(sql: sql, arguments: StatementArguments(arguments)) }
    }

    /// Reads one column of strings with raw SQL. Only for tests.
    func unsafeStrings(_ sql: String) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: sql) }
    }
}
