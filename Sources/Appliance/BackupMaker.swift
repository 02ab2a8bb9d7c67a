import IntakeCore
import IntakeDigest
public import Foundation
import Registry
import Delivery

/// `intake backup`: a consistent online copy of the register (SQLite's backup API, from one read
/// snapshot, while the daemon keeps registering), the documents directory (PDFs and in-flight
/// sidecars) and the configuration, with a manifest of SHA-256s, into
/// `<destination>/intake-backup-YYYYMMDDTHHMMSSZ/`. The directory appears only when complete
/// (it is written as `.…partial` and renamed), so a directory with that name is a good backup.
public struct BackupMaker: Sendable {
    public static let prefix = "intake-backup-"

    public let context: ApplianceContext
    public let intakeVersion: String

    public init(context: ApplianceContext, intakeVersion: String) {
        self.context = context
        self.intakeVersion = intakeVersion
    }

    public struct Result: Sendable, Codable, Equatable {
        public var directory: String
        public var manifest: BackupManifest
        public var seconds: Double
        public var pruned: [String]
    }

    /// Takes a backup into `destination` and keeps the newest `keep` (nil: prune nothing).
    public func backup(into destination: String, keep: Int?) throws -> Result {
        let started = Date()
        let classified = try context.register.hasClassifiedDocuments()
        try BackupDestination.check(destination, classified: classified)
        try BackupFiles.makeDirectory(destination)

        let name = Self.prefix + Self.stamp(started)
        let final = destination + "/" + name
        let partial = destination + "/." + name + ".partial"
        guard !FileManager.default.fileExists(atPath: final) else {
            throw OperationsError(.backupFailed, "A backup with this time stamp already exists.", detail: final)
        }
        try? FileManager.default.removeItem(atPath: partial)
        try BackupFiles.makeDirectory(partial)
        do {
            let manifest = try write(into: partial, at: started)
            try BackupFiles.syncFile(partial)
            guard rename(partial, final) == 0 else { throw BackupFiles.failure("rename \(partial)") }
            try BackupFiles.syncFile(destination)
            let pruned = try keep.map { try Self.prune(destination, keep: $0) } ?? []
            let result = Result(directory: final, manifest: manifest, seconds: Date().timeIntervalSince(started), pruned: pruned)
            try BackupRecord(result: result, at: started).save(stateDirectory: context.configuration.paths.stateDirectory)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Writes register, documents, configuration and manifest into `directory`.
    func write(into directory: String, at time: Date) throws -> BackupManifest {
        let paths = context.configuration.paths
        let snapshot = try context.register.backupDatabase(to: directory + "/register.sqlite")
        var files: [BackupManifest.File] = []
        func add(_ relative: String) throws {
            let path = directory + "/" + relative
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let bytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            files.append(.init(path: relative, bytes: bytes, sha256: try FileDigest.sha256(path: path)))
        }
        try add("register.sqlite")

        // Documents after the database: a PDF registered meanwhile is in the copy too, and after a
        // restore its file name tells the number it was given.
        var directories = Set<String>()
        for relative in BackupFiles.regularFiles(under: paths.documentsDirectory) {
            let target = directory + "/documents/" + relative
            let parent = BackupFiles.directory(of: target)
            if directories.insert(parent).inserted { try BackupFiles.makeDirectory(parent) }
            do {
                try BackupFiles.copy(paths.documentsDirectory + "/" + relative, to: target)
            } catch where !FileManager.default.fileExists(atPath: paths.documentsDirectory + "/" + relative) {
                continue  // moved meanwhile (.pending → final, or removed by retention): the walk sees it again or not at all
            }
            try add("documents/" + relative)
        }
        // A row committed while the walk ran may have had its PDF moved out of `.pending/` behind it.
        let copied = Set(files.map(\.path))
        for expected in try Register.expectedFiles(ofDatabase: directory + "/register.sqlite")
            where !copied.contains("documents/" + expected.final) && !copied.contains("documents/" + expected.pending)
        {
            let target = directory + "/documents/" + expected.final
            let parent = BackupFiles.directory(of: target)
            if directories.insert(parent).inserted { try BackupFiles.makeDirectory(parent) }
            do {
                try BackupFiles.copy(paths.documentsDirectory + "/" + expected.final, to: target)
            } catch {
                throw OperationsError(.backupFailed, "A registered document's PDF is missing; run `intake doctor`.",
                                      detail: "\(expected.final): \(error)")
            }
            try add("documents/" + expected.final)
        }
        for parent in directories { try BackupFiles.syncFile(parent) }

        if let source = context.configuration.sourcePath, FileManager.default.fileExists(atPath: source) {
            try BackupFiles.makeDirectory(directory + "/config")
            try BackupFiles.copy(source, to: directory + "/config/intake.toml")
            try add("config/intake.toml")
        }
        let manifest = BackupManifest(
            format: BackupManifest.format, createdAt: time, intakeVersion: intakeVersion,
            organisationCode: context.configuration.organisationCode, register: snapshot, files: files)
        try manifest.write(to: directory)
        return manifest
    }

    /// Removes the oldest complete backups beyond `keep`; returns what it removed.
    public static func prune(_ destination: String, keep: Int) throws -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? [])
            .filter { $0.hasPrefix(prefix) && FileManager.default.fileExists(atPath: destination + "/" + $0 + "/" + BackupManifest.fileName) }
            .sorted()
        guard names.count > keep else { return [] }
        var removed: [String] = []
        for name in names.prefix(names.count - keep) {
            let path = destination + "/" + name
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw OperationsError(.backupFailed, "Cannot remove an old backup.", detail: "\(path): \(error)")
            }
            removed.append(path)
        }
        return removed
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// `<state>/last-backup.json`: when the last good backup was taken, for `status` and `doctor`.
public struct BackupRecord: Sendable, Codable, Equatable {
    public static let fileName = "last-backup.json"

    public var at: Date
    public var directory: String
    public var documents: Int
    public var files: Int
    public var bytes: Int64
    public var seconds: Double

    public init(result: BackupMaker.Result, at: Date) {
        self.at = at
        directory = result.directory
        documents = result.manifest.register.documents
        files = result.manifest.files.count
        bytes = result.manifest.totalBytes
        seconds = result.seconds
    }

    public func save(stateDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try BackupFiles.writeDurably(try encoder.encode(self), to: stateDirectory + "/" + Self.fileName, mode: 0o640)
        BackupFiles.matchOwner(of: stateDirectory, [stateDirectory + "/" + Self.fileName])
    }

    public static func load(stateDirectory: String) -> BackupRecord? {
        guard let data = FileManager.default.contents(atPath: stateDirectory + "/" + fileName) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(BackupRecord.self, from: data)
    }

    /// Age in hours at `now`.
    public func ageHours(at now: Date) -> Double { now.timeIntervalSince(at) / 3600 }
}

extension BackupMaker {
    /// `intake backup --to -`: the same directory as a tar stream on standard output (built in a
    /// temporary directory in the state directory, then removed). Refused when the register holds
    /// classified documents: nobody can tell where standard output goes.
    public func streamTar() throws -> BackupManifest {
        guard try !context.register.hasClassifiedDocuments() else {
            throw OperationsError(
                .destinationRefused, "The register holds classified documents (mật): no backup to standard output.",
                detail: "give a local directory on a second disk or an approved USB device with --to DIR")
        }
        let started = Date()
        let scratch = context.configuration.paths.stateDirectory + "/.backup-stream-\(getpid())"
        let name = Self.prefix + Self.stamp(started)
        try? FileManager.default.removeItem(atPath: scratch)
        try BackupFiles.makeDirectory(scratch + "/" + name)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let manifest = try write(into: scratch + "/" + name, at: started)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-C", scratch, "-cf", "-", name]
        tar.standardOutput = FileHandle.standardOutput
        do {
            try tar.run()
        } catch {
            throw OperationsError(.backupFailed, "Cannot run tar.", detail: "\(error)")
        }
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            throw OperationsError(.backupFailed, "tar failed while writing the backup stream.", detail: "exit \(tar.terminationStatus)")
        }
        return manifest
    }
}
