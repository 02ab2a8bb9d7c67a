import ArgumentParser
import Foundation
import IntakeCLI
import Testing

/// Every command's whole `--help` text, compared with the copy stored under
/// Tests/ApplianceTests/Snapshots/help/ (as swift-argument-parser's own tests do). A changed help
/// text fails here until the snapshot is recorded again on purpose:
///
///     INTAKE_RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests
///
/// then review the diff of Snapshots/help/ and commit it with the change.
@Suite struct HelpSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/help")
    static let recording = ProcessInfo.processInfo.environment["INTAKE_RECORD_SNAPSHOTS"] == "1"

    /// Every command below `intake`, with its path of names ("intake queue list").
    static func commands() -> [(path: [String], type: any ParsableCommand.Type)] {
        func walk(_ type: any ParsableCommand.Type, _ path: [String]) -> [(path: [String], type: any ParsableCommand.Type)] {
            let name = type.configuration.commandName ?? type._commandName
            let here = path + [name]
            return [(here, type)] + type.configuration.subcommands.flatMap { walk($0, here) }
        }
        return walk(Intake.self, [])
    }

    static var names: [String] { commands().map { $0.path.joined(separator: " ") } }

    @Test(arguments: names)
    func helpTextMatchesItsSnapshot(command: String) throws {
        let type = try #require(Self.commands().first { $0.path.joined(separator: " ") == command }?.type)
        let help = Intake.helpMessage(for: type, columns: 100) + "\n"
        let file = Self.directory.appendingPathComponent(command.replacingOccurrences(of: " ", with: "-") + ".txt")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try help.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(help == stored, "`\(command) --help` changed; if on purpose, record again: INTAKE_RECORD_SNAPSHOTS=1 swift test --filter HelpSnapshotTests")
    }

    @Test(.disabled(if: recording, "recording")) func everySnapshotBelongsToACommand() throws {
        let stored = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".txt") }
        let expected = Self.names.map { $0.replacingOccurrences(of: " ", with: "-") + ".txt" }
        #expect(Set(stored) == Set(expected))
    }
}
