import ArgumentParser
import Foundation

extension Intake {
    struct OCR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocr",
            abstract: "Read the header of page 1 (Tesseract, Vietnamese) and print what it finds.",
            discussion: """
            For technicians: shows the fields the header reader finds — issuing body (tác giả), \
            số/ký hiệu, document date, type and summary (trích yếu), urgency and secrecy marks — \
            each with its confidence, and the time it took. Runs the separate `intake-ocr` program \
            (installed beside `intake`) with OMP_THREAD_LIMIT=1, so nothing else maps Tesseract.

            Examples:
              intake ocr /var/lib/intake/documents/2026/000.00.00.H49-DEN-2026-000012-1a2b3c4d.pdf
              intake ocr header.pnm --band 0.4 --json
            """
        )
        @Argument(help: "A PDF made by Intake (its page 1 image is read) or a P5/P6 PNM image.") var file: String
        @Option(help: "Top part of the page to read, 0.05–1.") var band: Double = 0.4
        @Flag(help: "Print intake-ocr's JSON (lines with positions and confidences, fields).") var json = false

        func validate() throws {
            guard (0.05...1).contains(band) else { throw ValidationError("--band must be between 0.05 and 1, e.g. 0.4 for the top 40 %.") }
        }

        func run() async throws {
            let binary = HelperProgram.path("intake-ocr")
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                printError("intake: intake-ocr is not installed beside intake-full (\(binary))")
                throw ExitStatus.failure
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--band", String(band), file]
            process.environment = ProcessInfo.processInfo.environment.merging(["OMP_THREAD_LIMIT": "1"]) { $1 }
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ExitStatus.failure }
            if json {
                FileHandle.standardOutput.write(data)
                return
            }
            struct Field: Decodable { var value: String; var confidence: Double }
            struct Result: Decodable { var seconds: Double; var fields: [String: Field] }
            let result = try JSONDecoder().decode(Result.self, from: data)
            let names = [("sender", "Tác giả (sender)"), ("parentBody", "Cơ quan chủ quản (parent body)"),
                         ("notation", "Số/ký hiệu (notation)"), ("documentDate", "Ngày tháng văn bản (date)"),
                         ("documentType", "Tên loại (type)"), ("summary", "Trích yếu (summary)"),
                         ("urgencyMark", "Độ khẩn (urgency mark)"), ("secrecyMark", "Độ mật (secrecy mark)")]
            for (key, title) in names {
                let value = result.fields[key].map { "\($0.value)  (\(Int($0.confidence.rounded())) %)" } ?? "—"
                print(title.padding(toLength: 34, withPad: " ", startingAt: 0) + value)
            }
            print("read in \(String(format: "%.2f", result.seconds)) s")
        }
    }
}
