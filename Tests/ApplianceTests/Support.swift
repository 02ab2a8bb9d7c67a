import Delivery
import Foundation
import Logging
import Registry
@testable import Appliance

/// A temporary directory removed when the test ends.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "intake-test-" + UUID().uuidString.prefix(8).lowercased()
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A clock the test moves by hand.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }  // 2026-11-18
    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A delivery target that answers from a script and remembers what it was sent.
final class FakeTarget: DeliveryTarget, @unchecked Sendable {
    let name: String
    let secureNetwork: Bool
    private let lock = NSLock()
    private var script: [DeliveryOutcome]
    private(set) var received: [DocumentMetadata] = []

    init(name: String = "central", secureNetwork: Bool = false, script: [DeliveryOutcome] = []) {
        self.name = name
        self.secureNetwork = secureNetwork
        self.script = script
    }

    func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        lock.withLock {
            received.append(item.metadata)
            return script.isEmpty ? .delivered(status: 201, receipt: "r-\(received.count)") : script.removeFirst()
        }
    }

    var receivedNumbers: [Int] { lock.withLock { received.map(\.number) } }
}

let testLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// `stamp` draws the ĐẾN stamp on registered PDFs; off by default because `registerDocument`
/// registers bytes that are not a PDF this program wrote.
func makeContext(_ dir: TemporaryDirectory, clock: any WallClock = ManualClock(), targets: [String] = ["central"],
                 stamp: Bool = false) throws -> ApplianceContext {
    var configuration = Configuration()
    configuration.stamp.enabled = stamp
    configuration.organisationCode = "000.00.00.H49"
    configuration.paths.stateDirectory = dir.path + "/state"
    configuration.paths.socket = dir.path + "/intake.sock"
    configuration.targets = targets.map { Configuration.Target(name: $0, kind: .directory, path: dir.path + "/out-\($0)") }
    configuration.disk.minimumFreeMB = 1
    return try ApplianceContext(configuration: configuration, clock: clock, buildYear: 2026)
}

/// Registers a document whose "PDF" is a small file of known bytes.
@discardableResult
func registerDocument(_ context: ApplianceContext, urgency: Urgency = .normal, secrecy: Secrecy = .none, targets: [String] = ["central"]) throws -> RegisteredDocument {
    let staged = context.configuration.paths.stagingDirectory + "/\(UUID().uuidString).pdf"
    try Data("%PDF-1.4\n% test document \(UUID().uuidString)\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: staged))
    return try context.register.register(NewDocument(profile: "default", urgency: urgency, secrecy: secrecy, pages: 1,
                                                     stagedFile: staged, targets: targets))
}
