import Delivery
import Foundation
import IntakeCore
import Registry
import Testing
@testable import Appliance

/// A target that records what it was sent, including the first bytes of the file as it saw it.
final class CapturingTarget: DeliveryTarget, @unchecked Sendable {
    let name: String
    let secureNetwork: Bool
    private let lock = NSLock()
    private(set) var received: [(metadata: DocumentMetadata, head: String, mode: Int)] = []

    init(name: String, secureNetwork: Bool) {
        self.name = name
        self.secureNetwork = secureNetwork
    }

    func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        let head = (FileManager.default.contents(atPath: item.filePath)?.prefix(5)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let mode = (try? FileManager.default.attributesOfItem(atPath: item.filePath)[.posixPermissions] as? Int) ?? -1
        lock.withLock { received.append((item.metadata, head, mode)) }
        return .delivered(status: 201, receipt: "r")
    }

    var count: Int { lock.withLock { received.count } }
}

@Suite struct SecrecyFlowTests {
    struct Box {
        let dir = TemporaryDirectory()
        let clock = ManualClock()
        let context: ApplianceContext
        let central = CapturingTarget(name: "central", secureNetwork: false)
        let partyNet = CapturingTarget(name: "party-net", secureNetwork: true)

        init(_ network: NetworkPosture) throws {
            var configuration = Configuration()
            configuration.organisationCode = "000.00.00.H49"
            configuration.paths.stateDirectory = dir.path + "/state"
            configuration.paths.socket = dir.path + "/intake.sock"
            configuration.disk.minimumFreeMB = 1
            configuration.network = network
            var central = Configuration.Target(name: "central", kind: .http)
            central.url = "http://127.0.0.1:9/api"
            configuration.targets = [central]
            if network == .classified {
                var partyNet = Configuration.Target(name: "party-net", kind: .http)
                partyNet.url = "https://vanban.mat.example/api"
                partyNet.clientCertificate = dir.path + "/client.pem"
                partyNet.clientKey = dir.path + "/client.key"
                partyNet.classified = true
                configuration.targets.append(partyNet)
                let key = dir.path + "/at-rest.key"
                try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: key))
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
                configuration.atRest.keyFile = key
            }
            context = try ApplianceContext(configuration: configuration, clock: clock, buildYear: 2026)
        }

        @discardableResult
        func scan(secrecy: String? = nil, urgency: String? = nil, scanner: FakeScanner = FakeScanner()) throws -> RegisteredDocument {
            try ScanService(context: context, logger: testLogger)
                .scanAndRegister(scanner: scanner, profileName: "default",
                                 overrides: ScanOverrides(urgency: try urgency.map { try Urgency(word: $0) },
                                                          secrecy: try secrecy.map { try Secrecy(word: $0) }))
        }

        func worker() throws -> OutboxWorker {
            let files = context.configuration.network == .classified ? try ClassifiedFiles(configuration: context.configuration, environment: [:]) : nil
            return OutboxWorker(register: context.register, organisationCode: "000.00.00.H49", targets: [central, partyNet],
                                policy: RetryPolicy(base: .seconds(1), cap: .seconds(8)), clock: clock, logger: testLogger,
                                gate: ReleaseGate(context.configuration, devices: FakeDevices()), classifiedFiles: files)
        }

        /// Every regular file under the documents and staging directories (not the register's own dot files at the top: lock, identity).
        func storedFiles() -> [String] {
            let paths = context.configuration.paths
            var found: [String] = []
            for root in [paths.documentsDirectory, paths.stagingDirectory] {
                let enumerator = FileManager.default.enumerator(atPath: root)
                while let name = enumerator?.nextObject() as? String {
                    var isDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue,
                       !(name.hasPrefix(".") && !name.contains("/")) {
                        found.append(root + "/" + name)
                    }
                }
            }
            return found
        }
    }

    func mode(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test(arguments: ["mat", "toi_mat", "sensitive", "tuyet_mat"])
    func anInternetBoxNumbersAClassifiedDocumentAndStoresNoneOfItsPages(secrecy: String) throws {
        let box = try Box(.internet)
        let scanner = FakeScanner()
        let document = try box.scan(secrecy: secrecy, scanner: scanner)
        #expect(document.book == "MAT")
        #expect(document.number == 1)
        #expect(document.storage == .none)
        #expect(document.path.isEmpty && document.pages == 0)
        #expect(scanner.batches == 0, "no paper moved")
        #expect(box.storedFiles().isEmpty, "\(box.storedFiles())")
        #expect(try box.context.register.queue().isEmpty, "nothing to send")
        #expect(document.fields.notes?.contains("không quét, không lưu") == true)
        let notice = try #require(SecrecyRules.clerkNotice(for: document))
        #expect(notice.contains("số 1") && notice.contains("không lưu"))
        // The ordinary book goes on from 1: the classified number took nothing from it.
        #expect(try box.scan().book == "DEN")
    }

    @Test func tuyetMatIsNumberedButNeverScannedOnAClassifiedBoxEither() throws {
        let box = try Box(.classified)
        let scanner = FakeScanner()
        let document = try box.scan(secrecy: "tuyet_mat", scanner: scanner)
        #expect(document.book == "MAT" && document.storage == .none && scanner.batches == 0)
        #expect(box.storedFiles().isEmpty)
        #expect(SecrecyRules.clerkNotice(for: document)?.contains("TUYỆT MẬT") == true)
    }

    @Test(arguments: ["mat", "toi_mat", "sensitive"])
    func aClassifiedBoxSealsTheDocumentAndSendsItOnlyToTheClassifiedTarget(secrecy: String) async throws {
        let box = try Box(.classified)
        let document = try box.scan(secrecy: secrecy)
        #expect(document.storage == .sealed && document.book == "MAT")
        #expect(AtRestCipher.isSealed(document.path))
        let stored = try Data(contentsOf: URL(fileURLWithPath: document.path))
        #expect(stored.range(of: Data("%PDF".utf8)) == nil)
        for file in box.storedFiles() {
            #expect(mode(file) & 0o007 == 0, "\(file) is world-readable: \(String(mode(file), radix: 8))")
            #expect(!(FileManager.default.contents(atPath: file)?.starts(with: Data("%PDF".utf8)) ?? false), "\(file) is plain")
        }
        let worker = try box.worker()
        let first = try await worker.drainDue()
        #expect(first.attempted == 0, "waits out its hold window")
        #expect(first.held == 1, "the ordinary target is refused at once: the window never shortens the secrecy check")
        box.clock.advance(181)
        let report = try await worker.drainDue()
        #expect(report.delivered == 1 && report.held == 0)
        #expect(box.central.count == 0)
        let sent = try #require(box.partyNet.received.first)
        #expect(sent.head == "%PDF-", "the target gets the plain PDF")
        #expect(sent.mode == 0o600)
        #expect(sent.metadata.sha256 != document.sha256, "the centre checks the plain PDF, not the sealed file")
        #expect(box.storedFiles().allSatisfy { !$0.contains("/deliver-") }, "the plain copy is gone after the upload")
        let held = try #require(box.context.register.queue(states: [.held]).first)
        #expect(held.target == "central")
        #expect(held.heldReason?.contains("không phải nơi nhận văn bản mật") == true)
    }

    @Test func anOrdinaryDocumentWaitsOutItsHoldWindowWithoutCountingAttempts() async throws {
        let box = try Box(.internet)
        try box.scan()
        try box.scan(urgency: "hoa_toc")
        let worker = try box.worker()
        #expect(try await worker.drainDue().attempted == 0)
        #expect(try box.context.register.queue().allSatisfy { $0.attempts == 0 && $0.state == .pending })
        box.clock.advance(31)
        #expect(try await worker.drainDue().delivered == 1, "hỏa tốc: 30 s")
        #expect(box.central.received.map(\.metadata.number) == [2])
        box.clock.advance(150)
        #expect(try await worker.drainDue().delivered == 1)
    }

    @Test func aSecrecyCorrectionInsideTheHoldWindowNeverReachesTheOrdinaryTarget() async throws {
        let box = try Box(.internet)
        let ordinary = try box.scan()
        let worker = try box.worker()
        _ = try await worker.drainDue()
        box.clock.advance(60)
        let outcome = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: 1, secrecy: "mat", reason: "Dấu MẬT ở trang 2"))
        #expect(outcome.document.book == "MAT" && outcome.document.number == 1 && outcome.document.storage == .none)
        #expect(outcome.message.contains("đã hủy"))
        #expect(!FileManager.default.fileExists(atPath: ordinary.path), "the ordinary copy of the pages is destroyed")
        let found: RegisteredDocument? = try box.context.register.document(book: "DEN", year: ordinary.year, number: 1)
        let voided = try #require(found)
        #expect(voided.state == .voided && voided.voidReason?.contains("Dấu MẬT ở trang 2") == true)
        box.clock.advance(3600)
        _ = try await worker.drainDue()
        #expect(box.central.count == 0)
        #expect(try box.context.register.queue(states: [.held]).first?.heldReason?.contains("Đổi độ mật thành MẬT") == true)
        #expect(try box.context.register.verifyAuditChain().isValid, "the correction is in the audit chain")
    }

    @Test func onAClassifiedBoxTheCorrectedCopyIsSealedAndGoesOnlyToTheClassifiedTarget() async throws {
        let box = try Box(.classified)
        let ordinary = try box.scan()
        box.clock.advance(10)
        let outcome = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: 1, secrecy: "toi_mat", reason: "TỐI MẬT"))
        #expect(outcome.document.storage == .sealed && AtRestCipher.isSealed(outcome.document.path))
        #expect(!FileManager.default.fileExists(atPath: ordinary.path))
        box.clock.advance(3600)
        _ = try await box.worker().drainDue()
        #expect(box.central.count == 0)
        #expect(box.partyNet.received.map(\.metadata.documentID) == [outcome.document.id])
        #expect(box.partyNet.received.first?.metadata.sha256 == ordinary.sha256, "the same pages reach the classified target")
    }

    @Test func aCorrectionAfterTheHoldWindowIsRefusedAndChangesNothing() throws {
        let box = try Box(.internet)
        let ordinary = try box.scan()
        box.clock.advance(181)
        #expect(throws: RegistryError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: 1, secrecy: "mat", reason: "muộn"))
        }
        #expect(try box.context.register.document(id: ordinary.id)?.state == .registered)
        #expect(FileManager.default.fileExists(atPath: ordinary.path))
        #expect(try box.context.register.list(book: "MAT").isEmpty)
    }

    @Test func theMarkKeyCorrectsTheLastRegisteredDocumentOnly() throws {
        let box = try Box(.internet)
        #expect(throws: SecrecyError.self) {
            try SecrecyCorrection(context: box.context).correct(SecrecyCorrectionRequest(number: nil, secrecy: "mat", reason: "phím"))
        }
        try box.scan()
        let second = try box.scan()
        let outcome = try SecrecyCorrection(context: box.context)
            .correct(SecrecyCorrectionRequest(number: nil, secrecy: "mat", reason: "phím"), lastDocumentID: second.id)
        #expect(outcome.voidedNumber == 2)
        #expect(try box.context.register.document(book: "DEN", year: second.year, number: 1)?.state == .registered)
    }
}

extension SecrecyFlowTests {
    @Test func aDocumentWhosePagesAreNotKeptIsNumberedWithoutAScanner() throws {
        let box = try Box(.internet)
        let service = ScanService(context: box.context, logger: testLogger)
        #expect(try service.registerIfNoPagesKept(profileName: "default") == nil, "an ordinary document needs its pages")
        let numbered = try #require(try service.registerIfNoPagesKept(profileName: "default", overrides: ScanOverrides(secrecy: .mat)))
        #expect(numbered.book == "MAT" && numbered.storage == .none)
        let classifiedBox = try Box(.classified)
        #expect(try ScanService(context: classifiedBox.context, logger: testLogger)
            .registerIfNoPagesKept(profileName: "default", overrides: ScanOverrides(secrecy: .mat)) == nil, "sealed, so scanned")
        #expect(try ScanService(context: classifiedBox.context, logger: testLogger)
            .registerIfNoPagesKept(profileName: "default", overrides: ScanOverrides(secrecy: .tuyetMat))?.storage == DocumentStorage.none)
    }
}
