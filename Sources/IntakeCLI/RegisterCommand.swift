import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry

extension Intake {
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "register",
            abstract: "The register book (Sổ đăng ký văn bản đến): list, show, edit, void, export, verify.",
            discussion: """
            Numbers (số đến) run from 1 in each book each calendar year and are never reused. A \
            spoiled registration is voided with a reason and stays in the book. Every change is an \
            audit entry chained by hash; `intake register verify` checks the chain.

            Examples:
              intake register list --year 2026
              intake register show 12
              intake register edit 12 --sender "Sở Tài chính" --notation "123/STC-NS" --summary "Công văn về dự toán"
              intake register void 13 --reason "Scanned twice by mistake"
              intake register mark 14 --secrecy mat --reason "Dấu MẬT ở trang 2"
              intake register export --format csv --output so-den-2026.csv
              intake register export --format pdf --year 2026 --output so-den-2026.pdf
              intake register verify
              intake register add --number 13 --arrived "2026-03-10 10:15" --summary "Công văn nhận khi máy hỏng"
              intake register attach 13 /tmp/so-13.pdf
            """,
            subcommands: [List.self, Show.self, Edit.self, Void.self, Mark.self, ConfirmMark.self, Export.self, Verify.self, FixClock.self, Add.self, Attach.self]
        )
    }
}

/// Register filters shared by list and export.
struct RegisterFilter: ParsableArguments {
    @Option(help: "Only this year.") var year: Int?
    @Option(help: "Only this book (e.g. DEN, MAT).") var book: String?
    @Option(help: ArgumentHelp("Arrived on or after this day (YYYY-MM-DD).", valueName: "date")) var from: String?
    @Option(help: ArgumentHelp("Arrived on or before this day (YYYY-MM-DD).", valueName: "date")) var to: String?

    func validate() throws {
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, Self.day(value) == nil { throw ValidationError("\(name) must be a date like 2026-11-23, not '\(value)'.") }
        }
    }

    static func day(_ text: String, endOfDay: Bool = false) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = VietnamTime.zone
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text) else { return nil }
        return endOfDay ? date.addingTimeInterval(86_399.999) : date
    }

    func documents(_ register: Registry.Register, book: String? = nil) throws -> [RegisteredDocument] {
        try register.list(book: book ?? self.book, year: year, from: from.flatMap { Self.day($0) },
                          to: to.flatMap { Self.day($0, endOfDay: true) })
    }
}

extension Intake.Register {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered documents.")
        /// One language per table: English headers with the register's Vietnamese column names in parentheses.
        static let headers = ["ARRIVED (NGÀY ĐẾN)", "NUMBER (SỐ ĐẾN)", "BOOK (SỔ)", "PAGES", "URGENCY (ĐỘ KHẨN)", "SECRECY (ĐỘ MẬT)",
                              "SENDER (TÁC GIẢ)", "SUMMARY (TRÍCH YẾU)", "NOTES (GHI CHÚ)"]
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filter: RegisterFilter
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            do {
                let context = try global.openContext()
                let documents = try filter.documents(context.register)
                if json { return try printJSON(documents) }
                if documents.isEmpty { print("No documents match."); return }
                print(table(List.headers, documents.map { d in
                    [d.arrivedAt.localTimestamp, "\(d.numberText)/\(d.year)", d.book, "\(d.pages)", d.urgency.displayName,
                     d.secrecy.displayName, String((d.fields.sender ?? "").prefix(24)), String((d.fields.summary ?? "").prefix(40)),
                     d.state == .voided ? "VOIDED: \(d.voidReason ?? "")"
                        : d.isProvisional ? "PROVISIONAL (SỐ TẠM) " + (d.fields.notes ?? "") : (d.fields.notes ?? "")]
                }))
            } catch {
                throw fail(error)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one entry with every column.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                guard let d = try context.register.document(book: e.book, year: e.year, number: e.number) else {
                    printError("intake: there is no number \(e.number) in book \(e.book) for \(e.year).")
                    throw ExitStatus.failure
                }
                if json { return try printJSON(d) }
                let f = d.fields
                // Columns read from the page by OCR (and not changed by a person since) say so.
                let read = Dictionary(try context.register.fieldsReadFromPage(documentID: d.id).map { ($0.column, $0.confidence) }) { $1 }
                func shown(_ column: String, _ value: String?) -> String {
                    guard let value, let confidence = read[column] else { return value ?? "" }
                    return "\(value)  [read by OCR, \(Int(confidence.rounded())) %]"
                }
                let rows: [(String, String)] = [
                    ("Ngày đến (arrived)", d.arrivedAt.localTimestamp), ("Số đến (number)", "\(d.numberText)/\(d.year) in book \(d.book)" + (d.isProvisional ? " — SỐ TẠM (provisional)" : "")),
                    ("Tác giả (sender)", shown("sender", f.sender)), ("Số/ký hiệu (notation)", shown("notation", f.notation)),
                    ("Ngày tháng văn bản (date)", shown("documentDate", f.documentDate)),
                    ("Tên loại và trích yếu (summary)", shown("summary", f.summary)),
                    ("Đơn vị/người nhận (recipient)", f.recipient ?? ""), ("Ngày chuyển (forwarded)", f.forwardedDate ?? ""),
                    ("Ký nhận (signature)", ""), ("Ghi chú (notes)", f.notes ?? ""),
                    ("State", d.state == .voided ? "VOIDED — \(d.voidReason ?? "")" : "registered"),
                    ("Urgency / secrecy", "\(d.urgency.displayName) / \(d.secrecy.displayName.isEmpty ? "-" : d.secrecy.displayName)"),
                    ("Pages", "\(d.pages)"), ("Profile", d.profile),
                    ("Pages kept (storage)", d.storage == .none ? "none — numbered only (secrecy rules)" : d.storage == .sealed ? "sealed (encrypted at rest)" : "plain"),
                    ("Marks check (dấu độ mật)", d.marksCheck.rawValue + (d.marksCheck == .flagged ? " — held: intake register confirm-mark \(d.number)" : "")),
                    ("File", d.path), ("SHA-256", d.sha256), ("Id", d.id),
                ]
                for (name, value) in rows { print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + SafeText.escapedForDisplay(value)) }
                let deliveries = try context.register.queue(states: nil).filter { $0.documentID == d.id }
                for o in deliveries {
                    print("Delivery to \(o.target)".padding(toLength: 34, withPad: " ", startingAt: 0)
                          + "\(o.state.rawValue), \(o.attempts) attempt(s)" + (o.lastError.map { ", last error: \(SafeText.escapedForDisplay($0))" } ?? ""))
                }
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill in register columns the scanner cannot know.",
            discussion: "Only the fields given change; each change is an audit entry. Text is stored NFC-normalised."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Tác giả (sender).") var sender: String?
        @Option(help: "Số/ký hiệu (document number and notation).") var notation: String?
        @Option(help: "Ngày tháng văn bản (date of the document).") var documentDate: String?
        @Option(help: "Tên loại và trích yếu (type and summary).") var summary: String?
        @Option(help: "Đơn vị/người nhận (recipient unit or person).") var recipient: String?
        @Option(help: "Ngày chuyển (date forwarded).") var forwardedDate: String?
        @Option(help: "Ghi chú (notes).") var notes: String?

        func validate() throws {
            if [sender, notation, documentDate, summary, recipient, forwardedDate, notes].allSatisfy({ $0 == nil }) {
                throw ValidationError("Give at least one field to change, e.g. --sender \"Sở Tài chính\".")
            }
        }

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                try context.register.edit(book: e.book, year: e.year, number: e.number, changes: RegisterFields(
                    sender: sender, notation: notation, documentDate: documentDate, summary: summary,
                    recipient: recipient, forwardedDate: forwardedDate, notes: notes))
                print("Updated number \(e.number)/\(e.year) in book \(e.book).")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Void: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Void a spoiled registration; it stays in the book with the reason.",
            discussion: "The number is not reused. Delivery of a voided document stops."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Why it is voided (required; printed in the register).") var reason: String

        func validate() throws {
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why, e.g. --reason \"scanned twice\".") }
        }

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                try context.register.void(book: e.book, year: e.year, number: e.number, reason: reason)
                print("Voided number \(e.number)/\(e.year) in book \(e.book): \(reason)")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit chain; name the first tampered entry.",
            discussion: "Exit 0 when every entry and document row matches its chained hash, 1 otherwise."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            do {
                let context = try global.openContext()
                let result = try context.register.verifyAuditChain()
                if result.isValid {
                    print("Audit chain intact: \(result.entriesChecked) entries checked.")
                } else {
                    printError("intake: the register has been altered outside Intake (\(result.problems.count) problem(s)).\n  first bad entry: \(result.firstBadEntry.map(String.init) ?? "?")"
                               + (result.documentID.map { "\n  document: \($0)" } ?? "")
                               + result.problems.map { "\n  problem: \(SafeText.escapedForDisplay($0))" }.joined())
                    throw ExitStatus.failure
                }
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
