import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Logging
import Registry
import Scanning

/// Writes a line to stderr (messages for people; stdout is for data).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a failure the way a technician wants it: the message, then the detail, then exits 1.
func fail(_ error: any Error, exitCode: ExitCode = ExitStatus.failure) -> ExitCode {
    switch error {
    case let error as ConfigurationError:
        printError("intake: \(error.description)")
    case let error as any IntakeError:
        printError("intake: \(error.message)" + (error.detail.isEmpty ? "" : "\n  detail: \(error.detail)"))
    default:
        printError("intake: \(error)")
    }
    return exitCode
}

extension GlobalOptions {
    func makeLogger(label: String = "intake") -> Logger {
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
        return Logger(label: label)
    }

    func loadConfiguration() throws -> Configuration {
        try ApplianceContext.load(configPath: config, stateDirectory: stateDir)
    }

    func openContext() throws -> ApplianceContext {
        try ApplianceContext(configuration: loadConfiguration(), buildYear: IntakeVersion.buildYear)
    }
}

extension Date {
    var localTimestamp: String {
        // Office time: the register counts days and years in Vietnam's time zone.
        formatted(Date.FormatStyle(date: .numeric, time: .standard, locale: Locale(identifier: "en_GB"),
                                   timeZone: VietnamTime.zone))
    }
}

/// Left-aligned columns for terminal tables.
func table(_ header: [String], _ rows: [[String]]) -> String {
    // Control characters and ANSI escapes in stored text are shown, never acted on.
    let all = ([header] + rows).map { $0.map(SafeText.escapedForDisplay) }
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
