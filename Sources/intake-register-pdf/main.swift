import Foundation
import IntakeCore
import Registry
import Reports
import ReportsPDF

// `intake register export --format pdf` runs this program beside intake-full:
//   intake-register-pdf --output FILE     (a RegisterPrintRequest as JSON on standard input)
// It alone links cairo and pango. Errors: the clerk message and the detail on stderr, exit 1.

func fail(_ message: String, _ detail: String = "") -> Never {
    FileHandle.standardError.write(Data(("intake: \(message)" + (detail.isEmpty ? "" : "\n  detail: \(detail)") + "\n").utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, arguments[0] == "--output" else {
    fail("usage: \(RegisterPrintRequest.program) --output FILE < request.json")
}
let input = FileHandle.standardInput.readDataToEndOfFile()
let request: RegisterPrintRequest
do {
    request = try JSONDecoder().decode(RegisterPrintRequest.self, from: input)
} catch {
    fail("The register could not be printed.", "request on stdin is not a RegisterPrintRequest: \(error)")
}
do {
    try RegisterExport.pdf(request.documents, book: request.book, to: arguments[1])
} catch let error as any IntakeError {
    fail(error.message, error.detail)
} catch {
    fail("The register could not be printed.", "\(error)")
}
