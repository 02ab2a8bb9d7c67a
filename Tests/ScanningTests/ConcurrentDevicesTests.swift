import Foundation
import IntakeCore
import Testing
@testable import Scanning

/// Two scanners in one process. sanei_thread (compiled into the test backend and many real ones)
/// hands a new reader thread its device through one static variable: a second `sane_start` before
/// the first reader has read it gives both readers the second device, and the first device's
/// `sane_read` then waits forever on a pipe nobody writes. SaneRuntime holds the next start until
/// the previous one's reader has shown itself; without that this test hung about one run in twenty
/// of the suite (and one CI run to its time limit).
@Suite struct ConcurrentDevicesTests {
    @Test func twoDevicesScanningAtOnceBothFinishEveryPage() throws {
        let rounds = 400
        let outcome = Outcome()
        for name in ["test:2", "test:3"] {
            let scanner = try SaneFixture.open(name)
            try scanner.apply(ScanSettings(source: .flatbed, mode: .gray, resolution: 25, pageWidthMM: 40, pageHeightMM: 40,
                                           extraOptions: ["test-picture": "Solid white"]))
            let box = UncheckedScanner(scanner: scanner)
            DetachedThread.start(name: "scan-\(name)") {
                var problem: String?
                for round in 0..<rounds where problem == nil {
                    do {
                        var pages = 0
                        _ = try box.scanner.scan(shouldStop: { false }) { _ in pages += 1 }
                        if pages != 1 { problem = "\(name) round \(round): \(pages) pages" }
                    } catch {
                        problem = "\(name) round \(round): \(error)"
                    }
                }
                box.scanner.close()
                outcome.lock.lock()
                outcome.finished += 1
                if let problem { outcome.failures.append(problem) }
                outcome.lock.unlock()
            }
        }
        // Bounded: a lost reader blocks forever, and that must fail the test, not the suite's clock.
        let deadline = ContinuousClock.now + .seconds(30)
        outcome.lock.lock()
        while outcome.finished < 2 && ContinuousClock.now < deadline {
            outcome.lock.unlock()
            usleep(20_000)
            outcome.lock.lock()
        }
        let (count, problems) = (outcome.finished, outcome.failures)
        outcome.lock.unlock()
        #expect(count == 2, "a device's sane_read never returned: its reader thread was given the other device")
        #expect(problems.isEmpty, "\(problems)")
    }
}

private final class Outcome: @unchecked Sendable {
    let lock = ConditionLock()
    var finished = 0
    var failures: [String] = []
}

private struct UncheckedScanner: @unchecked Sendable {
    let scanner: any Scanning.Scanner
}
