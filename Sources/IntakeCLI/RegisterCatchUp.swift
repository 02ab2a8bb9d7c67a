import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry

extension Intake.Register {
    /// `intake register add`: a paper-registered arrival entered after the box was down.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter an arrival registered on paper while the box was down (catch-up).",
            discussion: """
            When the scanner or the box was out of service, the desk numbers arrivals by hand in \
            the paper book. Enter each one here afterwards, in number order, with the number and \
            the real arrival time (Ngày đến) written on the paper. The number must be the next one \
            in its book for that year and the time not earlier than the book's last entry; \
            otherwise nothing is written and the message says what is expected. The entry has no \
            scan: attach one later with `intake register attach`.

            Examples:
              intake register add --number 13 --arrived "2026-03-10 10:15" --sender "Sở Tài chính" --summary "Công văn về dự toán"
              intake register add --number 4 --arrived "2026-03-10 14:40" --secrecy mat
            """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Số đến written on the paper.") var number: Int
        @Option(help: ArgumentHelp("Ngày đến: when the paper arrived, Vietnam time (YYYY-MM-DD HH:mm).", valueName: "time"))
        var arrived: String
        @Option(help: "Urgency (độ khẩn).") var urgency: Urgency = .normal
        @Option(help: "Secrecy (độ mật); classified entries go to the classified book.") var secrecy: Secrecy = .none
        @Option(help: "Pages of the paper document.") var pages: Int = 0
        @Option(help: "Tác giả (sender).") var sender: String?
        @Option(help: "Số/ký hiệu (document number and notation).") var notation: String?
        @Option(help: "Ngày tháng văn bản (date of the document).") var documentDate: String?
        @Option(help: "Tên loại và trích yếu (type and summary).") var summary: String?
        @Option(help: "Đơn vị/người nhận (recipient unit or person).") var recipient: String?
        @Option(help: "Ghi chú (notes).") var notes: String?

        func validate() throws {
            if Self.time(arrived) == nil {
                throw ValidationError("--arrived must be a Vietnam time like \"2026-03-10 10:15\", not '\(arrived)'.")
            }
            if number < 1 { throw ValidationError("--number must be 1 or more.") }
            if pages < 0 { throw ValidationError("--pages must not be negative.") }
        }

        static func time(_ text: String) -> Date? {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = VietnamTime.zone
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
        }

        func run() async throws {
            do {
                guard let arrivedAt = Self.time(arrived) else { throw ExitStatus.usage }
                let context = try global.openContext()
                let entry = try context.register.addPaperEntry(PaperEntry(
                    number: number, arrivedAt: arrivedAt, urgency: urgency, secrecy: secrecy,
                    fields: RegisterFields(sender: sender, notation: notation, documentDate: documentDate, summary: summary,
                                           recipient: recipient, notes: notes),
                    pages: pages))
                print("Entered number \(entry.number)/\(entry.year) in book \(entry.book), arrived \(entry.arrivedAt.localTimestamp) (from paper; no scan yet).")
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }

    /// `intake register attach N FILE.pdf`: the scan of an entry that has none yet.
    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a scan (PDF) to an entry that has none, e.g. one entered from paper.",
            discussion: """
            The PDF is copied durably into the register's documents, the ĐẾN stamp is drawn on \
            page 1 with the entry's number and real arrival time, its SHA-256 is recorded and it is \
            queued for delivery to every target, in one audited step. The file given is left where \
            it is. Make the PDF with `intake scan --output FILE.pdf`; a PDF written by another \
            program cannot be stamped: add --no-stamp to attach it as it is (the paper carries the \
            hand stamp).

            Examples:
              intake scan --device test:0 --output /tmp/so-13.pdf
              intake register attach 13 /tmp/so-13.pdf
              intake register attach 4 --book MAT /tmp/mat-4.pdf
            """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Argument(help: ArgumentHelp("The PDF to attach.", valueName: "file")) var file: String
        @Option(help: "Pages in the PDF (recorded in the register).") var pages: Int?
        @Flag(help: "Attach the PDF as it is, without the ĐẾN stamp.") var noStamp = false

        func run() async throws {
            do {
                let context = try global.openContext()
                let e = entry.resolve(context)
                let document = try context.register.attach(
                    book: e.book, year: e.year, number: e.number, source: file, pages: pages,
                    targets: context.configuration.targets.map(\.name), stamp: !noStamp)
                print("Attached \(file) to number \(document.number)/\(document.year) in book \(document.book)"
                      + (noStamp ? "" : ", stamped") + "; SHA-256 \(document.sha256); queued for delivery.")
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}
