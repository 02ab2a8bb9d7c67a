import Delivery
import Foundation
import Registry
import Testing
@testable import Appliance

@Suite struct DeliveryTargetConfigurationTests {
    static let base = """
    organisation_code = "000.00.00.H49"
    [profiles.default]
    source = "ADF"

    """

    @Test func paperlessAndTusTargetsAndMetricsAreReadWithTheirMappings() throws {
        let text = Self.base + """
        [metrics]
        textfile = "/var/lib/prometheus/node-exporter/intake.prom"
        interval_seconds = 10

        [[targets]]
        name = "paperless"
        kind = "paperless"
        url = "https://paperless.example.gov.vn"
        token_file = "/etc/intake/paperless-token"
        task_timeout_seconds = 120
        tags = ["Intake", "Văn bản đến"]
        urgency_tags = { hoa_toc = "HỎA TỐC", khan = "KHẨN" }
        secrecy_tags = { mat = "MẬT" }
        sender_correspondents = { "UBND tỉnh Hà Giang" = "UBND Hà Giang" }
        number_field = "Số đến"
        asn_books = { DEN = 0, MAT = 2 }

        [[targets]]
        name = "upload"
        kind = "tus"
        url = "https://upload.example.gov.vn/files/"
        chunk_kib = 512
        """
        let config = try ConfigurationLoader.parse(text, file: "t.toml")
        #expect(config.metrics.textfile == "/var/lib/prometheus/node-exporter/intake.prom")
        #expect(config.metrics.interval == .seconds(10))
        let paperless = try #require(config.targets.first)
        #expect(paperless.kind == .paperless)
        #expect(paperless.taskTimeout == .seconds(120))
        #expect(paperless.paperless.tags == ["Intake", "Văn bản đến"])
        #expect(paperless.paperless.urgencyTags == ["Hỏa tốc": "HỎA TỐC", "Khẩn": "KHẨN"])
        #expect(paperless.paperless.secrecyTags == ["Mật": "MẬT"])
        #expect(paperless.paperless.senderCorrespondents == ["UBND tỉnh Hà Giang": "UBND Hà Giang"])
        #expect(paperless.paperless.asnBooks == ["DEN": 0, "MAT": 2])
        #expect(try paperless.paperless.archiveSerialNumber(book: "MAT", year: 2026, number: 3) == 2_202_600_003)
        let tus = try #require(config.targets.last)
        #expect(tus.kind == .tus)
        #expect(tus.chunkSize == 512 * 1024)

        // `config show` prints it back as a configuration that reads the same.
        let reparsed = try ConfigurationLoader.parse(ConfigurationPrinter.render(config), file: "shown")
        #expect(reparsed.targets.map(\.paperless) == config.targets.map(\.paperless))
        #expect(reparsed.targets.map(\.chunkSize) == config.targets.map(\.chunkSize))
        #expect(reparsed.metrics == config.metrics)
    }

    @Test(arguments: [
        ("kind = \"paperless\"\nurl = \"http://p\"", "token_file"),
        ("kind = \"tus\"", "url"),
        ("kind = \"tus\"\nurl = \"http://t/files/\"\ntags = [\"x\"]", "applies only to kind = \"paperless\""),
        ("kind = \"paperless\"\nurl = \"http://p\"\ntoken_file = \"/t\"\nchunk_kib = 64", "applies only to kind = \"tus\""),
        ("kind = \"paperless\"\nurl = \"http://p\"\ntoken_file = \"/t\"\nasn_books = { DEN = 0, MAT = 0 }", "each book needs its own slot"),
        ("kind = \"paperless\"\nurl = \"http://p\"\ntoken_file = \"/t\"\nurgency_tags = { urgent = \"x\" }", "unknown key"),
        ("kind = \"tus\"\nurl = \"http://t/files/\"\nchunk_kib = 1", "out of range"),
    ])
    func badResumableTargetsAreReportedWithTheKey(_ body: String, _ words: String) {
        let text = Self.base + "[[targets]]\nname = \"x\"\n" + body + "\n"
        do {
            _ = try ConfigurationLoader.parse(text, file: "/etc/intake/intake.toml")
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.description.contains(words), "\(error.description)")
            #expect(error.description.contains("/etc/intake/intake.toml:"))
        }
    }

    @Test func metricsTextfileMustBeAnAbsoluteDotPromPath() {
        for path in ["intake.prom", "/var/lib/x/intake.txt"] {
            #expect(throws: ConfigurationError.self) { _ = try ConfigurationLoader.parse(Self.base + "[metrics]\ntextfile = \"\(path)\"\n", file: "t") }
        }
    }
}

/// A target that stores a resume state and reports what it was handed.
final class ResumingTarget: DeliveryTarget, @unchecked Sendable {
    let name = "central"
    let secureNetwork = false
    private let lock = NSLock()
    private(set) var seen: [String?] = []
    var onDeliver: (DeliveryItem) -> DeliveryOutcome = { _ in .delivered(status: 204, receipt: "r") }

    func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        lock.withLock { seen.append(item.resumeState) }
        return onDeliver(item)
    }
}

@Suite struct OutboxTransferStateTests {
    @Test func aTargetsResumeStateIsStoredInTheRegisterAndHandedBackOnTheNextAttempt() async throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context = try makeContext(dir, clock: clock)
        let document = try registerDocument(context)
        let target = ResumingTarget()
        let register = context.register
        target.onDeliver = { item in
            do {
                try item.saveResumeState?("tus:http://upload/files/abc")
                // Stored before the target goes on: the register already has it.
                let stored = try register.queue().first.map { try register.transferState(outboxID: $0.id) } ?? nil
                return stored == "tus:http://upload/files/abc" ? .transient(status: nil, message: "link dropped", retryAfter: nil)
                    : .permanent(status: nil, message: "not stored: \(String(describing: stored))")
            } catch {
                return .permanent(status: nil, message: "\(error)")
            }
        }
        let worker = OutboxWorker(register: register, organisationCode: "000.00.00.H49", targets: [target],
                                  policy: RetryPolicy(base: .milliseconds(1), cap: .milliseconds(1)), clock: clock, logger: testLogger)
        let first = try await worker.drainDue()
        #expect(first.retrying == 1)
        target.onDeliver = { _ in .delivered(status: 204, receipt: "done") }
        clock.advance(5)
        let second = try await worker.drainDue()
        #expect(second.delivered == 1)
        #expect(target.seen == [nil, "tus:http://upload/files/abc"])
        #expect(try register.queue().first?.documentID == document.id)
    }

    @Test func storingStateForAnUnknownRowIsATypedError() throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        #expect(throws: RegistryError.self) { try context.register.setTransferState(outboxID: 999, "x") }
    }
}
