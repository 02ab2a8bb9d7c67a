import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry
import Reports

/// `intake register export`: CSV here, the printed book through intake-register-pdf.
extension Intake.Register {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the register as CSV (for Excel) or a printable PDF.",
            discussion: """
            One book per export: the ordinary book (sổ văn bản đến) unless --book names the \
            classified one (sổ văn bản mật đến), which adds the Độ mật column. CSV is UTF-8 with a \
            byte-order mark so Excel shows Vietnamese correctly. The PDF is A4 landscape with a \
            cover page (bìa), the (1)…(10) column-number row and one section per month, ready to \
            print and bind.

            Examples:
              intake register export --format pdf --year 2026 --output so-den-2026.pdf
              intake register export --format pdf --book MAT --year 2026 --output so-mat-2026.pdf
            """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var filter: RegisterFilter
        @Option(help: "csv or pdf.") var format: String = "csv"
        @Option(help: ArgumentHelp("Output file.", valueName: "file")) var output: String

        func validate() throws {
            if !["csv", "pdf"].contains(format) { throw ValidationError("--format must be csv or pdf, not '\(format)'.") }
        }

        func run() async throws {
            do {
                let context = try global.openContext()
                let books = context.configuration.books
                let code = filter.book ?? books.ordinary
                guard code == books.ordinary || code == books.classified else {
                    printError("intake: there is no book '\(code)'; the books are \(books.ordinary) (ordinary) and \(books.classified) (classified).")
                    throw ExitStatus.failure
                }
                let configuration = context.configuration
                let book = PrintedBook(
                    organisation: configuration.organisationName.isEmpty ? configuration.organisationCode : configuration.organisationName,
                    code: code, classified: code == books.classified)
                let documents = try filter.documents(context.register, book: code)
                let started = ContinuousClock.now
                if format == "csv" {
                    try RegisterExport.csv(documents, book: book, to: output)
                } else {
                    try printRegister(RegisterPrintRequest(book: book, documents: documents))
                }
                printError("wrote \(output): book \(code), \(documents.count) entries in \(ContinuousClock.now - started)")
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }

        /// Draws the printed register in `intake-register-pdf` beside this program (cairo and pango
        /// are linked there only), the rows on its standard input; its message is passed on.
        private func printRegister(_ request: RegisterPrintRequest) throws {
            let program = HelperProgram.path(RegisterPrintRequest.program)
            guard FileManager.default.isExecutableFile(atPath: program) else {
                printError("intake: \(RegisterPrintRequest.program) is not installed beside intake-full (\(program))")
                throw ExitStatus.failure
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = ["--output", output]
            let input = Pipe()
            process.standardInput = input
            try process.run()
            let body = try JSONEncoder().encode(request)
            try input.fileHandleForWriting.write(contentsOf: body)
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else { throw ExitStatus.failure }
        }
    }
}
