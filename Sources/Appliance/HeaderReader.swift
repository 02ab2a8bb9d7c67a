import Foundation
public import HeaderReading
public import IntakeCore
public import Registry

/// Runs `intake-ocr` (its own process, OMP_THREAD_LIMIT=1: the daemon never maps Tesseract) on
/// page 1 of a registered PDF and returns what the header says.
public struct HeaderReader: Sendable {
    public var binary: String
    public var band: Double
    public var timeout: Duration

    public init(binary: String = HeaderReader.besideThisProgram(), band: Double = 0.4, timeout: Duration = .seconds(60)) {
        self.binary = binary
        self.band = band
        self.timeout = timeout
    }

    /// `intake-ocr` installed beside the running program. The running file, not `argv[0]`: the
    /// lean front (`intake`) execs `intake-full` under its own name, from another directory.
    public static func besideThisProgram() -> String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "intake").resolvingSymlinksInPath().path
        return URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("intake-ocr").path
    }

    public struct Failure: IntakeError {
        public var errorCode: String { "ocr.failed" }
        public var message: String
        public var detail: String
    }

    struct Output: Decodable {
        var fields: HeaderFields
        var seconds: Double
        var width: Int?
        var height: Int?
        var words: [OCRLine]?
    }

    /// What one reading gave: the fields, and every word with its box in pixels of page 1's
    /// image (`width` × `height`), for the text layer.
    public struct Reading: Sendable {
        public var fields: HeaderFields
        public var words: [OCRLine]
        public var width: Int
        public var height: Int
    }

    /// Reads the header of `pdf`; throws when intake-ocr is missing, fails or overruns.
    public func read(pdf: String) async throws -> HeaderFields {
        try await reading(pdf: pdf).fields
    }

    /// Reads the header of `pdf` with its words; throws as `read(pdf:)`.
    public func reading(pdf: String) async throws -> Reading {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(message: "The header reader is not installed.", detail: "\(binary) missing; apt-get install tesseract-ocr-vie")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--band", String(band), pdf]
        process.environment = ["OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let timeout = self.timeout
        let watchdog = Task { () -> Bool in
            try await Task.sleep(for: timeout)
            guard process.isRunning else { return false }
            process.terminate()
            return true
        }
        let data = await Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        process.waitUntilExit()
        watchdog.cancel()
        if (try? await watchdog.value) == true {
            throw Failure(message: "The header reader ran too long and was stopped.", detail: "intake-ocr overran \(timeout) on \(pdf)")
        }
        guard process.terminationStatus == 0 else {
            throw Failure(message: "The header could not be read.", detail: "intake-ocr exited \(process.terminationStatus)")
        }
        do {
            let output = try JSONDecoder().decode(Output.self, from: data)
            return Reading(fields: output.fields, words: output.words ?? [], width: output.width ?? 0, height: output.height ?? 0)
        } catch {
            throw Failure(message: "The header reader answered something unexpected.", detail: "\(error)")
        }
    }
}

extension HeaderFields {
    /// The register columns the header gives (Tên loại và trích yếu = type + summary).
    public var registerColumns: [ReadField] {
        var columns: [ReadField] = []
        if let sender { columns.append(ReadField(column: "sender", value: sender.value, confidence: sender.confidence)) }
        if let notation { columns.append(ReadField(column: "notation", value: notation.value, confidence: notation.confidence)) }
        if let documentDate { columns.append(ReadField(column: "documentDate", value: documentDate.value, confidence: documentDate.confidence)) }
        let parts = [documentType, summary].compactMap { $0 }
        if !parts.isEmpty {
            columns.append(ReadField(column: "summary", value: parts.map(\.value).joined(separator: ": "),
                                     confidence: parts.map(\.confidence).min() ?? 0))
        }
        return columns
    }

    /// The secrecy and urgency the marks say, in the register's vocabulary (unknown words: nil).
    public var markedSecrecy: Secrecy? { secrecyMark.flatMap { try? Secrecy(word: $0.value) } }
    public var markedUrgency: Urgency? { urgencyMark.flatMap { try? Urgency(word: $0.value) } }
}
