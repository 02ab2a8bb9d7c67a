import Foundation
import Registry
import Testing
@testable import Appliance

@Suite struct MetricsTests {
    @Test func aReaderNeverSeesAHalfWrittenFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/intake.prom"
        let file = MetricsTextfile(path: path)
        let a = String(repeating: "intake_a 1\n", count: 20_000)
        let b = String(repeating: "intake_b 2\n", count: 30_000)
        try file.write(a)
        let done = ManagedFlag()
        let bad = ManagedFlag()
        let reads = Counter()
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            defer { finished.signal() }
            while !done.isSet {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { bad.set(); continue }
                if text != a && text != b { bad.set() }
                reads.increment()
            }
        }
        reader.start()
        for i in 0..<300 { try file.write(i % 2 == 0 ? b : a) }
        done.set()
        #expect(finished.wait(timeout: .now() + 10) == .success, "the reader thread ended")
        #expect(!bad.isSet)
        #expect(reads.value > 10)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "intake.prom" }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
    }

    @Test func aMissingDirectoryIsATypedErrorNotACrash() {
        #expect(throws: MetricsError.self) { try MetricsTextfile(path: "/nonexistent-intake/x.prom").write("a 1\n") }
    }

    @Test func renderedTextHasHelpTypeBaseUnitsAndNoTimestamps() throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        try registerDocument(context)
        var status = try StatusReport.collect(context)
        status.daemon = nil
        let text = MetricsText(version: "1.2.3", organisationCode: "000.00.00.H49", status: status,
                               statistics: try context.register.deliveryStatistics(), targets: ["central"],
                               uploadedBytes: ["central": 1234], spoolBytes: 99, diskFreeBytes: 5_000_000).render()
        #expect(text.contains("# TYPE intake_documents_scanned_total counter\nintake_documents_scanned_total{book=\"DEN\"} 1\n"))
        #expect(text.contains("intake_queue_documents{state=\"pending\"} 1\n"))
        #expect(text.contains("intake_uploaded_bytes_total{target=\"central\"} 1234\n"))
        #expect(text.contains("intake_build_info{organisation=\"000.00.00.H49\",version=\"1.2.3\"} 1\n"))
        #expect(text.contains("intake_scanner_up 0\n"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").count == 2, "a sample with a timestamp or a space in it: \(line)")
        }
    }
}

extension MetricsTests {
    /// The metric a fleet alert (IntakeBackupTooOld) watches: 0 before any backup, then the time
    /// the last good backup recorded, and the text passes `promtool check metrics` both ways.
    @Test func backupTimestampFollowsTheLastGoodBackupAndPassesPromtool() throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        try registerDocument(context)
        func render() throws -> String {
            var status = try StatusReport.collect(context)
            status.daemon = nil
            return MetricsText(version: "1.2.3", organisationCode: "000.00.00.H49", status: status,
                               statistics: try context.register.deliveryStatistics(), targets: ["central"],
                               uploadedBytes: [:], spoolBytes: 0, diskFreeBytes: 1).render()
        }
        func promtool(_ text: String) throws -> (status: Int32, output: String) {
            let file = dir.path + "/check-\(UUID().uuidString).prom"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "/usr/bin/promtool check metrics < \"$1\" 2>&1", "sh", file]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        let before = try render()
        #expect(before.contains("# TYPE intake_backup_last_success_timestamp_seconds gauge\nintake_backup_last_success_timestamp_seconds 0\n"))
        let beforeCheck = try promtool(before)
        #expect(beforeCheck.status == 0, "\(beforeCheck.output)")

        _ = try BackupMaker(context: context, intakeVersion: "test").backup(into: dir.path + "/backups", keep: nil)
        let record = try #require(BackupRecord.load(stateDirectory: context.configuration.paths.stateDirectory))
        let after = try render()
        let line = try #require(after.split(separator: "\n").first { $0.hasPrefix("intake_backup_last_success_timestamp_seconds ") })
        let value = try #require(Double(line.split(separator: " ")[1]))
        #expect(abs(value - record.at.timeIntervalSince1970) < 0.01)
        #expect(abs(value - Date().timeIntervalSince1970) < 120, "a backup just taken is minutes old at most")
        #expect(after.contains("intake_backup_last_documents 1\n"))
        #expect(after.contains("intake_backup_last_size_bytes \(record.bytes)\n"))
        #expect(record.bytes > 0)
        let afterCheck = try promtool(after)
        #expect(afterCheck.status == 0, "\(afterCheck.output)")
    }
}

final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
