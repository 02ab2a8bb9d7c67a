import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Registry
import Testing
@testable import Appliance

/// Backup and restore with a real SQLite register, real files and a real directory target.
@Suite(.serialized) struct BackupRestoreTests {
    func deliverAll(_ context: ApplianceContext) async throws {
        for target in context.configuration.targets {
            try FileManager.default.createDirectory(atPath: target.path ?? "", withIntermediateDirectories: true)
        }
        let worker = OutboxWorker(register: context.register, organisationCode: context.configuration.organisationCode,
                                  targets: try context.makeTargets(), policy: RetryPolicy(base: .seconds(1), cap: .seconds(2)),
                                  clock: context.clock, logger: testLogger)
        _ = try await worker.drainDue(batch: 500)
    }

    /// The restore drill: 500 documents, a backup taken while more are registered, more
    /// delivered to the centre (a directory target), the state directory destroyed, the backup
    /// restored and verified; numbering continues after the highest number the centre holds and
    /// no number given after the backup is given again.
    @Test func restoreDrillContinuesAfterTheHighestKnownNumberAndNeverReissuesOne() async throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        for _ in 0..<500 { try registerDocument(context) }
        try await deliverAll(context)

        // Back up while a second thread keeps registering (at least 40, until the backup is done).
        let backups = dir.path + "/backups"
        let done = Flag()
        let registering = Task.detached {
            var numbers: [Int] = []
            var spans: [(start: Date, end: Date)] = []
            while numbers.count < 40 || !done.isSet {
                let start = Date()
                numbers.append(try registerDocument(context).number)
                spans.append((start, Date()))
            }
            return (numbers, spans)
        }
        while try context.register.lastNumbers().first?.number == 500 { try await Task.sleep(for: .milliseconds(1)) }
        let backupStarted = Date()
        let result = try BackupMaker(context: context, intakeVersion: "test").backup(into: backups, keep: 3)
        let backupEnded = Date()
        done.set()
        let (during, spans) = try await registering.value
        #expect(spans.contains { $0.start < backupEnded && $0.end > backupStarted }, "no registration overlapped the backup")
        let inBackup = try #require(result.manifest.register.lastNumbers.first { $0.book == "DEN" }).number
        let lastDuring = 500 + during.count
        #expect(inBackup >= 501 && inBackup <= lastDuring)
        #expect(during == Array(501...lastDuring))

        // After the backup: 20 more, delivered to the centre; then 3 that never leave the box.
        for _ in 0..<20 { try registerDocument(context) }
        try await deliverAll(context)
        let highestDelivered = lastDuring + 20
        let lost = try (0..<3).map { _ in try registerDocument(context).number }
        #expect(lost == Array((highestDelivered + 1)...(highestDelivered + 3)))
        let givenAfterBackup = try context.register.list().filter { $0.number > inBackup }
            .map { (number: $0.number, sha256: $0.sha256) }

        // Destroy the state directory; restore.
        try FileManager.default.removeItem(atPath: context.configuration.paths.stateDirectory)
        var restorer = BackupRestorer(configuration: context.configuration, buildYear: 2026, clock: context.clock)
        restorer.askCentre = false
        let report = try await restorer.restore(from: result.directory)

        #expect(report.previousStateMovedTo == nil)
        #expect(report.documents == result.manifest.register.documents)
        #expect(report.highestKnown.first { $0.book == "DEN" }?.number == highestDelivered)
        #expect(report.voidedGap.count == highestDelivered - inBackup)

        let restored = try ApplianceContext(configuration: context.configuration, clock: context.clock, buildYear: 2026)
        #expect(try restored.register.verifyAuditChain().isValid)
        let entries = try restored.register.list(book: "DEN")
        #expect(entries.map(\.number) == Array(1...highestDelivered))
        for entry in entries where entry.number <= inBackup {
            #expect(entry.state == .registered)
            #expect(try FileDigest.sha256(path: entry.path) == entry.sha256)
        }
        for entry in entries where entry.number > inBackup {
            #expect(entry.state == .voided)
            #expect(entry.voidReason?.contains("sao lưu") == true)
        }
        // The next number follows the highest known one; the last 3 died with the state
        // directory and nobody outside knew them: that is what the backup interval costs.
        let next = try registerDocument(restored)
        #expect(next.number == highestDelivered + 1)
        for given in givenAfterBackup where given.number <= highestDelivered {
            let now = try #require(try restored.register.document(book: "DEN", year: next.year, number: given.number))
            #expect(now.state == .voided && now.sha256 != given.sha256)
        }
    }

    @Test func restoreRefusesABackupThatDoesNotMatchItsManifestAndTouchesNothing() async throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        for _ in 0..<5 { try registerDocument(context) }
        let result = try BackupMaker(context: context, intakeVersion: "test").backup(into: dir.path + "/b", keep: nil)
        let victim = try #require(result.manifest.files.first { $0.path.hasPrefix("documents/") })
        try Data("%PDF-1.4 tampered".utf8).write(to: URL(fileURLWithPath: result.directory + "/" + victim.path))
        try Data("extra".utf8).write(to: URL(fileURLWithPath: result.directory + "/documents/stray.pdf"))

        var restorer = BackupRestorer(configuration: context.configuration, buildYear: 2026, clock: context.clock)
        restorer.askCentre = false
        let error = await #expect(throws: OperationsError.self) { try await restorer.restore(from: result.directory) }
        #expect(error?.code == .manifestMismatch)
        #expect(error?.detail.contains(victim.path) == true)
        #expect(error?.detail.contains("not in the manifest: documents/stray.pdf") == true)
        #expect(try context.register.lastNumbers().first?.number == 5)
        #expect(!FileManager.default.fileExists(atPath: context.configuration.paths.stateDirectory + "/before-restore"))
    }

    @Test func restoreRefusesWhileTheDaemonAnswersOnItsSocket() async throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir)
        try registerDocument(context)
        let result = try BackupMaker(context: context, intakeVersion: "test").backup(into: dir.path + "/b", keep: nil)
        let listener = try UnixListener(path: context.configuration.paths.socket)
        defer { listener.shutdown() }
        let restorer = BackupRestorer(configuration: context.configuration, buildYear: 2026, clock: context.clock)
        let error = await #expect(throws: OperationsError.self) { try await restorer.restore(from: result.directory) }
        #expect(error?.code == .daemonRunning)
    }

    @Test func restoreOverAnExistingStateMovesItAsideAndCountsItsNumbers() async throws {
        let dir = TemporaryDirectory()
        let context = try makeContext(dir, targets: [])
        for _ in 0..<3 { try registerDocument(context, targets: []) }
        let result = try BackupMaker(context: context, intakeVersion: "test").backup(into: dir.path + "/b", keep: nil)
        for _ in 0..<4 { try registerDocument(context, targets: []) }

        var restorer = BackupRestorer(configuration: context.configuration, buildYear: 2026, clock: context.clock)
        restorer.askCentre = false
        let report = try await restorer.restore(from: result.directory)
        let aside = try #require(report.previousStateMovedTo)
        #expect(FileManager.default.fileExists(atPath: aside + "/register.sqlite"))
        #expect(report.voidedGap.count == 4)
        let restored = try ApplianceContext(configuration: context.configuration, clock: context.clock, buildYear: 2026)
        #expect(try registerDocument(restored, targets: []).number == 8)
    }

    @Test func backupDirectoryHasManifestSumsConfigAndIsPrunedToKeep() throws {
        let dir = TemporaryDirectory()
        var context = try makeContext(dir)
        let configFile = dir.path + "/intake.toml"
        try "organisation_code = \"000.00.00.H49\"\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        context.configuration.sourcePath = configFile
        for _ in 0..<3 { try registerDocument(context) }
        let maker = BackupMaker(context: context, intakeVersion: "test")
        var made: [String] = []
        for _ in 0..<4 {
            made.append(try maker.backup(into: dir.path + "/b", keep: 2).directory)
            Thread.sleep(forTimeInterval: 1.05)  // backups are named by the second
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/b").sorted()
        #expect(left == made.suffix(2).map { ($0 as NSString).lastPathComponent })
        let last = try #require(made.last)
        let manifest = try BackupManifest.read(from: last)
        #expect(manifest.problems(in: last).isEmpty)
        #expect(Set(manifest.files.map(\.path)).isSuperset(of: ["register.sqlite", "config/intake.toml"]))
        #expect(manifest.files.filter { $0.path.hasPrefix("documents/2") }.count == 3)
        let sums = try String(contentsOfFile: last + "/SHA256SUMS", encoding: .utf8)
        #expect(sums.split(separator: "\n").count == manifest.files.count)
        let record = try #require(BackupRecord.load(stateDirectory: context.configuration.paths.stateDirectory))
        #expect(record.directory == last && record.documents == 3)
    }

    @Test(arguments: ["rsync://backup.example.vn/intake", "backup-host:/srv/intake", "ssh://host/x", "relative/dir"])
    func networkOrRelativeDestinationsAreRefused(_ destination: String) {
        #expect(throws: OperationsError.self) { try BackupDestination.check(destination, classified: false, mountInfo: "") }
    }

    @Test func classifiedRegisterIsNotBackedUpOntoANetworkFileSystem() throws {
        let mounts = """
        22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        40 22 0:50 / /mnt/nas rw,relatime shared:20 - nfs4 nas:/export rw
        41 22 8:17 / /media/usb rw,relatime shared:21 - vfat /dev/sdb1 rw
        """
        #expect(throws: OperationsError.self) { try BackupDestination.check("/mnt/nas/intake", classified: true, mountInfo: mounts) }
        #expect(throws: Never.self) { try BackupDestination.check("/mnt/nas/intake", classified: false, mountInfo: mounts) }
        #expect(throws: Never.self) { try BackupDestination.check("/media/usb/intake", classified: true, mountInfo: mounts) }
        #expect(throws: Never.self) { try BackupDestination.check("/mnt/nasty", classified: true, mountInfo: mounts) }

        let dir = TemporaryDirectory()
        let context = try makeContext(dir, targets: [])
        try registerDocument(context, secrecy: .mat, targets: [])
        #expect(throws: OperationsError.self) { try BackupMaker(context: context, intakeVersion: "test").streamTar() }
    }
}

/// A flag one task sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
