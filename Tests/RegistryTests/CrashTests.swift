import Foundation
import Registry
import Testing

/// Kills `registry-crashtest` with SIGKILL at random moments while it registers, restarts it,
/// then checks that nothing was lost and nothing numbered twice.
@Suite struct CrashTests {
    static var rounds: Int { ProcessInfo.processInfo.environment["INTAKE_LONG_TESTS"] == "1" ? 60 : 10 }

    /// `swift test` builds every product next to the test bundle.
    static func crashtestBinary() -> String? {
        var directories: [URL] = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        for directory in directories {
            var candidate = directory
            for _ in 0..<4 {
                let path = candidate.appendingPathComponent("registry-crashtest").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
                candidate = candidate.deletingLastPathComponent()
            }
        }
        return nil
    }

    @Test func killNineAtRandomMomentsLosesNothingAndNumbersNothingTwice() async throws {
        let binary = try #require(Self.crashtestBinary(), "registry-crashtest not found next to the test bundle")
        let fixture = try Fixture()
        var kills = 0
        for round in 0..<Self.rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [fixture.root]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            // The first run also creates and migrates the database.
            let delay = UInt64.random(in: 30...250) + (round == 0 ? 400 : 0)
            try await Task.sleep(nanoseconds: delay * 1_000_000)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            if process.terminationReason == .exit {
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                Issue.record("crashtest exited by itself (status \(process.terminationStatus)): \(message)")
            }
        }
        #expect(kills == Self.rounds)

        let register = try Register(
            path: fixture.root + "/register.sqlite",
            configuration: RegisterConfiguration(
                organisationCode: "000.00.00.H49", buildYear: 2024, documentsDirectory: fixture.root + "/documents"),
            clock: SystemWallClock())
        _ = try register.recover()

        let all = try register.list(book: nil, year: nil, from: nil, to: nil)
        #expect(all.count > Self.rounds, "the child should have registered something between kills")
        for (key, entries) in Dictionary(grouping: all, by: { "\($0.book)/\($0.year)" }) {
            let numbers = entries.map(\.number).sorted()
            #expect(numbers == Array(1...numbers.count), "book \(key): numbers must run 1…N without duplicates")
        }
        for doc in all where doc.state == .voided {
            #expect(!(doc.voidReason ?? "").isEmpty, "voided \(doc.id) needs a reason")
        }
        // Every row has its file (unless voided because the file was lost), every file a row.
        let rowPaths = Set(all.filter { !$0.path.isEmpty }.map(\.path))
        for doc in all where doc.state == .registered {
            #expect(FileManager.default.fileExists(atPath: doc.path), "\(doc.id) lost its file")
        }
        let documents = fixture.root + "/documents"
        var filePaths = Set<String>()
        for year in try FileManager.default.contentsOfDirectory(atPath: documents) where Int(year) != nil {
            for name in try FileManager.default.contentsOfDirectory(atPath: documents + "/" + year) {
                filePaths.insert(documents + "/" + year + "/" + name)
            }
        }
        #expect(filePaths.subtracting(rowPaths).isEmpty, "files without rows: \(filePaths.subtracting(rowPaths))")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: documents + "/.pending")
        #expect(leftovers.isEmpty, "left in .pending: \(leftovers)")
        let audit = try register.verifyAuditChain()
        #expect(audit.isValid, "\(audit.problem ?? "")")
        #expect(audit.entriesChecked >= all.count)
    }

    @Test func threeProcessesRegisteringAtOnceGetConsecutiveNumbers() throws {
        let binary = try #require(Self.crashtestBinary(), "registry-crashtest not found next to the test bundle")
        let fixture = try Fixture()
        let configuration = RegisterConfiguration(
            organisationCode: "000.00.00.H49", buildYear: 2024, documentsDirectory: fixture.root + "/documents")
        _ = try Register(path: fixture.root + "/register.sqlite", configuration: configuration, clock: SystemWallClock())
        let processes = try (0..<3).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [fixture.root, "25", "--no-recover"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let register = try Register(
            path: fixture.root + "/register.sqlite", configuration: configuration, clock: SystemWallClock())
        let all = try register.list(book: nil, year: nil, from: nil, to: nil)
        #expect(all.count == 75)
        for (key, entries) in Dictionary(grouping: all, by: { "\($0.book)/\($0.year)" }) {
            #expect(entries.map(\.number).sorted() == Array(1...entries.count), "book \(key)")
        }
        #expect(try register.verifyAuditChain().isValid)
        #expect(try register.recover().isClean)
    }
}
