import IntakeCore
public import Foundation
public import Registry
import Delivery

/// `intake restore`: puts a backup back into the state directory while the daemon is stopped.
///
/// Checks the manifest first (nothing is touched if a file is missing or changed), moves what is
/// there aside (never deletes it), copies the backup in, runs recovery and the audit check, then
/// continues numbering after the highest number known anywhere — the restored register, the
/// document files (in the backup and in the old state directory), the old register, directory
/// targets and the centre's receipts — voiding the numbers in between with a reason.
public struct BackupRestorer: Sendable {
    public let configuration: Configuration
    public let buildYear: Int
    public let clock: any WallClock
    /// Ask HTTP targets for their receipts (off in tests that have no centre).
    public var askCentre = true

    public init(configuration: Configuration, buildYear: Int, clock: any WallClock = SystemWallClock()) {
        self.configuration = configuration
        self.buildYear = buildYear
        self.clock = clock
    }

    public struct Report: Sendable, Codable, Equatable {
        public var backup: String
        public var backupTakenAt: Date
        public var filesRestored: Int
        public var bytesRestored: Int64
        public var documents: Int
        public var lastNumbersInBackup: [LastNumber]
        /// Where the state that was there before went (nil if there was none).
        public var previousStateMovedTo: String?
        public var recovery: String
        public var auditEntriesVerified: Int
        /// The highest number known per book and year, and where it was seen.
        public var highestKnown: [KnownNumber]
        /// Sources that could not be asked (e.g. the centre unreachable).
        public var unavailableSources: [String]
        public var voidedGap: [String]
        public var lastNumbersNow: [LastNumber]
    }

    public func restore(from backup: String) async throws -> Report {
        let paths = configuration.paths
        if (try? UnixConnection.connect(path: paths.socket)) != nil {
            throw OperationsError(.daemonRunning, "The Intake daemon is running; stop it before restoring.",
                                  detail: "it answers on \(paths.socket): systemctl stop intake, then run intake restore again")
        }
        let manifest = try BackupManifest.read(from: backup)
        guard manifest.organisationCode == configuration.organisationCode else {
            throw OperationsError(.manifestMismatch, "The backup belongs to another organisation.",
                                  detail: "backup \(manifest.organisationCode), configuration \(configuration.organisationCode)")
        }
        let problems = manifest.problems(in: backup)
        guard problems.isEmpty else {
            throw OperationsError(.manifestMismatch, "The backup does not match its manifest; nothing was restored.",
                                  detail: problems.prefix(20).joined(separator: "; ") + (problems.count > 20 ? "; … \(problems.count - 20) more" : ""))
        }

        let known = KnownNumbers(organisationCode: configuration.organisationCode)
        var evidence: [KnownNumber] = []
        var unavailable: [String] = []

        // Move the present state aside; it is evidence of numbers given after the backup.
        let fm = FileManager.default
        var movedTo: String?
        let present = ["register.sqlite", "register.sqlite-wal", "register.sqlite-shm", "documents", "staging"]
            .filter { fm.fileExists(atPath: paths.stateDirectory + "/" + $0) }
        if !present.isEmpty {
            let aside = paths.stateDirectory + "/before-restore-" + BackupMaker.stamp(clock.now())
            try BackupFiles.makeDirectory(aside)
            for name in present {
                guard rename(paths.stateDirectory + "/" + name, aside + "/" + name) == 0 else {
                    throw BackupFiles.failure("move \(name) aside to \(aside)")
                }
            }
            try BackupFiles.syncFile(paths.stateDirectory)
            movedTo = aside
            evidence += known.fromRegister(aside + "/register.sqlite", source: "the register before the restore (\(aside))")
            evidence += known.fromDocumentFiles(aside + "/documents", source: "document file before the restore:")
        }

        // Copy the backup in.
        try BackupFiles.makeDirectory(paths.stateDirectory, mode: 0o750)
        var bytes: Int64 = 0
        var directories = Set<String>()
        for file in manifest.files {
            let target: String
            if file.path == "register.sqlite" { target = paths.databasePath }
            else if file.path.hasPrefix("documents/") { target = paths.documentsDirectory + "/" + file.path.dropFirst("documents/".count) }
            else { continue }  // config/: kept in the backup for the technician, not put back over /etc
            let parent = BackupFiles.directory(of: target)
            if directories.insert(parent).inserted { try BackupFiles.makeDirectory(parent, mode: 0o750) }
            bytes += try BackupFiles.copy(backup + "/" + file.path, to: target)
        }
        for parent in directories { try BackupFiles.syncFile(parent) }
        BackupFiles.matchOwner(of: paths.stateDirectory, [paths.databasePath, paths.documentsDirectory] + (movedTo.map { [$0] } ?? []))
        let restoredFiles = manifest.files.filter { !$0.path.hasPrefix("config/") }.count

        // Open (migrations of an older schema are applied here), recover, verify.
        let context = try ApplianceContext(configuration: configuration, clock: clock, buildYear: buildYear)
        let verification = try context.register.verifyAuditChain()
        guard verification.isValid else {
            throw OperationsError(.verifyFailed, "The restored register does not verify; do not number with it.",
                                  detail: verification.problem ?? "")
        }

        evidence += known.fromDocumentFiles(paths.documentsDirectory, source: "document file in the backup:")
        for target in configuration.targets {
            switch target.kind {
            case .directory:
                if let path = target.path { evidence += known.fromDirectoryTarget(path, name: target.name) }
            case .http:
                guard askCentre, let url = target.url else { continue }
                do {
                    var settings = ApplianceContext.transportSettings(target)
                    settings.totalTimeout = min(settings.totalTimeout, .seconds(60))
                    let token = try target.tokenFile.map { try BearerToken.load(path: $0) }
                    let listing = CentreListing(baseURL: url, token: token, transport: try CurlTransport(settings: settings))
                    evidence += try await known.fromCentre(listing, name: target.name)
                } catch {
                    unavailable.append("target \(target.name) (\(url)): \(error)")
                }
            case .paperless, .tus:
                // No receipt listing in these protocols: say so, the technician checks by hand.
                unavailable.append("target \(target.name) (\(target.kind.rawValue)): its receipts cannot be listed; compare its highest số đến by hand")
            }
        }

        let taken = manifest.createdAt.formatted(.iso8601)
        let voided = try context.register.continueNumbering(
            after: evidence,
            reason: "Số đã cấp sau bản sao lưu \(taken), không còn trong sổ khôi phục")
        defer {
            BackupFiles.matchOwner(of: paths.stateDirectory, [paths.databasePath, paths.databasePath + "-wal", paths.databasePath + "-shm",
                                                              paths.documentsDirectory, paths.stagingDirectory])
        }
        // Recovery last: a registration that was in flight when the backup was taken gets its
        // number after every number known to have been given, never one given since.
        let recovery = try context.register.recover()
        let after = try context.register.verifyAuditChain()
        guard after.isValid else {
            throw OperationsError(.verifyFailed, "The register does not verify after the restore.", detail: after.problem ?? "")
        }
        var highest: [String: KnownNumber] = [:]
        for entry in evidence where entry.number > (highest["\(entry.book)/\(entry.year)"]?.number ?? 0) {
            highest["\(entry.book)/\(entry.year)"] = entry
        }
        return Report(
            backup: backup, backupTakenAt: manifest.createdAt, filesRestored: restoredFiles, bytesRestored: bytes,
            documents: manifest.register.documents, lastNumbersInBackup: manifest.register.lastNumbers,
            previousStateMovedTo: movedTo, recovery: recovery.isClean ? "clean" : "\(recovery)",
            auditEntriesVerified: after.entriesChecked,
            highestKnown: highest.values.sorted { ($0.book, $0.year) < ($1.book, $1.year) },
            unavailableSources: unavailable, voidedGap: voided, lastNumbersNow: try context.register.lastNumbers())
    }
}
