import Appliance
import ArgumentParser
import Foundation
import Registry

extension Intake {
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look at and steer the delivery outbox.",
            discussion: """
            Every registered document has one outbox entry per delivery target. States: pending \
            (waiting for its next try), delivered, needsAttention (permanent error: read the \
            message, fix, then retry), held (stopped by a technician, or classified and kept off \
            a non-secure target), corrupt (the file no longer matches its checksum).

            Examples:
              intake queue list
              intake queue retry 17          # number 17 in the ordinary book this year
              intake queue retry --all
              intake queue hold 17 --reason "sender asked to wait"
              intake queue release 17
            """,
            subcommands: [List.self, Retry.self, Hold.self, Release.self]
        )
    }
}

/// A register entry named the way clerks name it: number, optionally book and year.
struct EntryOptions: ParsableArguments {
    @Argument(help: "Số đến (registration number).")
    var number: Int

    @Option(help: "Register book (default: the ordinary book).")
    var book: String?

    @Option(help: "Year (default: this year).")
    var year: Int?

    func resolve(_ context: ApplianceContext) -> (book: String, year: Int, number: Int) {
        Self.resolve(context, number: number, book: book, year: year)
    }
}

extension Intake.Queue {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox entries with state, attempts, next try and last error.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only this state: pending, delivered, needsAttention, held, corrupt.")
        var state: String?

        @Flag(help: "Include delivered entries.")
        var all = false

        @Flag(help: "JSON output.")
        var json = false

        func run() async throws {
            do {
                let context = try global.openContext()
                var states: Set<OutboxState>? = all ? nil : Set(OutboxState.allCases.filter { $0 != .delivered })
                if let state {
                    guard let parsed = OutboxState(rawValue: state) else {
                        throw ValidationError("--state must be one of \(OutboxState.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    states = [parsed]
                }
                let entries = try context.register.queue(states: states)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    let data = try encoder.encode(entries.map(QueueRow.init))
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                if entries.isEmpty {
                    print("The outbox is empty: nothing waits for delivery.")
                    return
                }
                print(table(["NUMBER", "BOOK", "URGENCY", "TARGET", "STATE", "TRIES", "NEXT TRY", "LAST ERROR"], entries.map { e in
                    ["\(e.number)/\(e.year)", e.book, e.urgency.displayName, e.target, e.state.rawValue, "\(e.attempts)",
                     e.state == .pending ? e.nextAttemptAt.localTimestamp : "-",
                     Self.lastProblem(e)]
                }))
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(error)
            }
        }

        static func lastProblem(_ e: OutboxEntry) -> String {
            guard let text = e.heldReason ?? e.lastError else { return "" }
            let status = e.lastStatus.map { "HTTP \($0): " } ?? ""
            let line = status + text
            return line.count > 90 ? String(line.prefix(89)) + "…" : line
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Try an entry again now (after fixing what it waited for).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Số đến; omit with --all.") var number: Int?
        @Option(help: "Register book (default: the ordinary book).") var book: String?
        @Option(help: "Year (default: this year).") var year: Int?
        @Option(help: "Only this delivery target.") var target: String?
        @Flag(help: "Retry every pending and needs-attention entry (with --target: to that target only); corrupt entries are retried one by one.") var all = false

        func validate() throws {
            if (number == nil) == !all { throw ValidationError("Give a number, or --all.") }
        }

        func run() async throws {
            do {
                let context = try global.openContext()
                if all {
                    try context.register.retryAll(target: target)
                    print("Every entry waiting for delivery will be tried now.")
                } else if let number {
                    let entry = EntryOptions.resolve(context, number: number, book: book, year: year)
                    try context.register.retryNow(book: entry.book, year: entry.year, number: entry.number, target: target)
                    print("Number \(entry.number)/\(entry.year) in book \(entry.book) will be tried now.")
                }
            } catch {
                throw fail(error)
            }
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop delivering an entry until it is released.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Only this delivery target.") var target: String?
        @Option(help: "Why (kept in the register).") var reason: String

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                try context.register.hold(book: e.book, year: e.year, number: e.number, target: target, reason: reason)
                print("Held number \(e.number)/\(e.year) in book \(e.book).")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a held entry so it is delivered again.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Only this delivery target.") var target: String?

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                try context.register.release(book: e.book, year: e.year, number: e.number, target: target)
                print("Released number \(e.number)/\(e.year) in book \(e.book).")
            } catch {
                throw fail(error)
            }
        }
    }
}

extension EntryOptions {
    static func resolve(_ context: ApplianceContext, number: Int, book: String?, year: Int?) -> (book: String, year: Int, number: Int) {
        (book ?? context.configuration.books.ordinary, year ?? context.currentYear, number)
    }
}

/// One outbox entry as `queue list --json` prints it: numbers as numbers, absent values as "".
struct QueueRow: Encodable {
    var id: String
    var target: String
    var state: String
    var attempts: Int
    var book: String
    var year: Int
    var number: Int
    var urgency: String
    var nextAttempt: String
    var lastError: String
    /// The last HTTP status, or null when there was none.
    var lastStatus: Int?
    var heldReason: String
    var receipt: String

    enum CodingKeys: String, CodingKey {
        case id, target, state, attempts, book, year, number, urgency, receipt
        case nextAttempt = "next_attempt", lastError = "last_error", lastStatus = "last_status", heldReason = "held_reason"
    }

    init(_ e: OutboxEntry) {
        id = e.documentID
        target = e.target
        state = e.state.rawValue
        attempts = e.attempts
        book = e.book
        year = e.year
        number = e.number
        urgency = e.urgency.rawValue
        nextAttempt = e.nextAttemptAt.formatted(.iso8601)
        lastError = e.lastError ?? ""
        lastStatus = e.lastStatus
        heldReason = e.heldReason ?? ""
        receipt = e.receipt ?? ""
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(target, forKey: .target)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(book, forKey: .book)
        try container.encode(year, forKey: .year)
        try container.encode(number, forKey: .number)
        try container.encode(urgency, forKey: .urgency)
        try container.encode(nextAttempt, forKey: .nextAttempt)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(lastStatus, forKey: .lastStatus)  // null, not absent
        try container.encode(heldReason, forKey: .heldReason)
        try container.encode(receipt, forKey: .receipt)
    }
}
