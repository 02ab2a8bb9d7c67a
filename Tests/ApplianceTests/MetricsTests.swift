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
