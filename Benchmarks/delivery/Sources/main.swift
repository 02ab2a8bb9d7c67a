import Delivery
import Foundation
import IntakeCore
import IntakeDigest

// Upload throughput through CurlTransport + HTTPTarget, for Benchmarks/delivery/bench.sh (which
// compares it with plain curl on the same files). Not a test: it prints figures, asserts nothing.
//
// delivery-bench FILES_DIR URL TOKEN [RESULT_FILE]
//   uploads every *.pdf in FILES_DIR in name order; prints and (optionally) writes "documents seconds".

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: delivery-bench FILES_DIR URL TOKEN [RESULT_FILE]\n".utf8))
    exit(2)
}
let directory = arguments[1], url = arguments[2], token = arguments[3]
let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pdf") }.sorted()
// Digests are computed at registration time in the appliance, so outside the timed loop (the
// shell side precomputes them too).
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
        FileHandle.standardError.write(Data("\(item.metadata.documentID): \(outcome)\n".utf8))
        exit(1)
    }
}
let seconds = (ContinuousClock.now - start).seconds
print("swift CurlTransport/HTTPTarget: \(items.count) documents in \(seconds) s")
if arguments.count >= 5 {
    try "\(items.count) \(seconds)\n".write(toFile: arguments[4], atomically: true, encoding: .utf8)
}
