import Foundation

/// The centre's side of "one sequence" (issue 11): it numbers electronic arrivals itself, grants
/// boxes blocks of số đến, and gives final numbers to a box's provisional entries ("T-3") in the
/// order the box sends them (arrival order). One counter per book and year; every grant, arrival
/// and confirmation is written durably to `<store>/numbering.json` before it is answered.
actor NumberingAuthority {
    struct Grant: Codable, Sendable {
        var box: String
        var book: String
        var year: Int
        var first: Int
        var last: Int
        var grantedAt: String
        var requestID: String?
    }

    struct Arrival: Codable, Sendable {
        var book: String
        var year: Int
        var number: Int
        var reference: String
        var at: String
    }

    struct Confirmation: Codable, Sendable {
        var box: String
        var book: String
        var year: Int
        var provisional: String
        var number: Int
        var arrivedAt: String
    }

    struct State: Codable, Sendable {
        /// "BOOK/YEAR" → the next number the centre will give.
        var next: [String: Int] = [:]
        var grants: [Grant] = []
        var arrivals: [Arrival] = []
        var confirmations: [Confirmation] = []
    }

    struct Refusal: Error {
        var message: String
    }

    private let path: String
    private(set) var state: State

    init(root: String) throws {
        path = root + "/numbering.json"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if let data = FileManager.default.contents(atPath: path) {
            state = try JSONDecoder().decode(State.self, from: data)
        } else {
            state = State()
        }
    }

    private static func key(_ book: String, _ year: Int) -> String { "\(book)/\(year)" }

    private static func checked(book: String, year: Int) throws {
        guard !book.isEmpty, book.count <= 32, book.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
            throw Refusal(message: "book must be 1–32 letters, digits, - or _")
        }
        guard (1900...9999).contains(year) else { throw Refusal(message: "year must be between 1900 and 9999") }
    }

    private static func timestamp() -> String { ISO8601DateFormatter().string(from: Date()) }

    /// Takes `count` numbers from the book's counter, durably, and returns the first.
    private func take(_ book: String, _ year: Int, _ count: Int) -> Int {
        let first = state.next[Self.key(book, year)] ?? 1
        state.next[Self.key(book, year)] = first + count
        return first
    }

    private func save(restoring previous: State) throws {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try Durable.writeFile(Array(try encoder.encode(state)), to: path)
        } catch {
            state = previous
            throw error
        }
    }

    /// A block of `count` numbers for `box`. The same `requestID` gets the same block again
    /// (an answer lost on the way is not a hole in the book).
    func grant(box: String, book: String, year: Int, count: Int, requestID: String?) throws -> Grant {
        try Self.checked(book: book, year: year)
        guard !box.isEmpty else { throw Refusal(message: "box is required") }
        guard (1...100_000).contains(count) else { throw Refusal(message: "count must be between 1 and 100000") }
        if let requestID, let earlier = state.grants.first(where: { $0.box == box && $0.requestID == requestID }) {
            return earlier
        }
        let previous = state
        let first = take(book, year, count)
        let grant = Grant(box: box, book: book, year: year, first: first, last: first + count - 1,
                          grantedAt: Self.timestamp(), requestID: requestID)
        state.grants.append(grant)
        try save(restoring: previous)
        return grant
    }

    /// An electronic arrival numbered here, at the centre.
    func arrive(book: String, year: Int, reference: String) throws -> Arrival {
        try Self.checked(book: book, year: year)
        let previous = state
        let arrival = Arrival(book: book, year: year, number: take(book, year, 1), reference: reference, at: Self.timestamp())
        state.arrivals.append(arrival)
        try save(restoring: previous)
        return arrival
    }

    /// Final numbers for provisional entries, in the order given (the box's arrival order).
    /// An entry confirmed before gets its number again; nothing is numbered twice.
    func confirm(box: String, book: String, year: Int, entries: [(provisional: String, arrivedAt: String)]) throws -> [Confirmation] {
        try Self.checked(book: book, year: year)
        guard !box.isEmpty else { throw Refusal(message: "box is required") }
        guard entries.count <= 10_000 else { throw Refusal(message: "at most 10000 entries per request") }
        for entry in entries {
            guard entry.provisional.hasPrefix("T-"), let seq = Int(entry.provisional.dropFirst(2)), seq >= 1 else {
                throw Refusal(message: "provisional numbers look like T-1, T-2, … (got \(entry.provisional))")
            }
        }
        guard Set(entries.map({ $0.provisional })).count == entries.count else {
            throw Refusal(message: "a provisional number is repeated")
        }
        let previous = state
        var answers: [Confirmation] = []
        for entry in entries {
            if let earlier = state.confirmations.first(where: {
                $0.box == box && $0.book == book && $0.year == year && $0.provisional == entry.provisional
            }) {
                answers.append(earlier)
                continue
            }
            let confirmation = Confirmation(
                box: box, book: book, year: year, provisional: entry.provisional, number: take(book, year, 1),
                arrivedAt: entry.arrivedAt)
            state.confirmations.append(confirmation)
            answers.append(confirmation)
        }
        try save(restoring: previous)
        return answers
    }
}
