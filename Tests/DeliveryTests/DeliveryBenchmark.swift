import Delivery
import Foundation
import IntakeCore
import Testing

/// Upload throughput through CurlTransport + HTTPTarget; run by Benchmarks/delivery/bench.sh only.
///
/// Environment: INTAKE_BENCH=1, INTAKE_BENCH_FILES (directory of *.pdf), INTAKE_BENCH_URL,
/// INTAKE_BENCH_TOKEN, INTAKE_BENCH_RESULT (file to write "documents seconds" into).
struct DeliveryBenchmark {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["INTAKE_BENCH"] == "1"))
    func uploadsAllBenchmarkFilesSequentially() async throws {
        let directory = try #require(Self.environment["INTAKE_BENCH_FILES"])
        let url = try #require(Self.environment["INTAKE_BENCH_URL"])
        let token = try #require(Self.environment["INTAKE_BENCH_TOKEN"])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pdf") }.sorted()
        // Digests are computed at registration time in the appliance, so outside the timed loop
        // (the shell side precomputes them too).
        let items = try names.enumerated().map { index, name in
            let path = directory + "/" + name
            let metadata = DocumentMetadata(
                documentID: "000.00.00.H49-2026-" + String(name.dropLast(4)), organisationCode: "000.00.00.H49", book: "DEN",
                year: 2026, number: index + 1, arrivedAt: "2026-11-23T08:30:00+07:00", urgency: "thuong", secrecy: "thuong",
                classified: false, pages: 1, sha256: try FileDigest.sha256(path: path))
            return DeliveryItem(metadata: metadata, filePath: path)
        }
        let target = HTTPTarget(name: "bench", baseURL: url, token: token, transport: try CurlTransport())
        let start = ContinuousClock.now
        for item in items {
            let outcome = await target.deliver(item)
            guard case .delivered = outcome else {
                Issue.record("\(item.metadata.documentID): \(outcome)")
                return
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("swift CurlTransport/HTTPTarget: \(items.count) documents in \(seconds) s")
        if let result = Self.environment["INTAKE_BENCH_RESULT"] {
            try "\(items.count) \(seconds)\n".write(toFile: result, atomically: true, encoding: .utf8)
        }
    }
}
