import IntakeCore
import IntakeDigest
public import Foundation
public import Registry
import Delivery

/// `manifest.json` of a backup directory: what the register held and every file with its
/// size and SHA-256. A `SHA256SUMS` beside it lets `sha256sum -c` check a copy by hand.
public struct BackupManifest: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        /// Relative to the backup directory, e.g. "documents/2026/…pdf".
        public var path: String
        public var bytes: Int64
        public var sha256: String
    }

    public static let fileName = "manifest.json"
    public static let sumsName = "SHA256SUMS"
    public static let format = 1

    public var format: Int
    public var createdAt: Date
    public var intakeVersion: String
    public var organisationCode: String
    public var register: BackupSnapshot
    public var files: [File]

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }

    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let sums = files.map { "\($0.sha256)  \($0.path)\n" }.joined()
        try BackupFiles.writeDurably(Data(sums.utf8), to: directory + "/" + Self.sumsName)
        try BackupFiles.writeDurably(try encoder.encode(self), to: directory + "/" + Self.fileName)
    }

    public static func read(from directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperationsError(.manifestMismatch, "This is not an Intake backup (no manifest.json).", detail: path)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let manifest = try decoder.decode(BackupManifest.self, from: data)
            guard manifest.format <= format else {
                throw OperationsError(.manifestMismatch, "The backup was made by a newer Intake.",
                                      detail: "manifest format \(manifest.format), this version reads \(format)")
            }
            return manifest
        } catch let error as OperationsError {
            throw error
        } catch {
            throw OperationsError(.manifestMismatch, "The backup's manifest.json cannot be read.", detail: "\(path): \(error)")
        }
    }

    /// Every problem between the manifest and the directory: missing, changed, or extra files.
    public func problems(in directory: String) -> [String] {
        var problems: [String] = []
        var listed = Set<String>()
        for file in files {
            listed.insert(file.path)
            let path = directory + "/" + file.path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
                problems.append("missing: \(file.path)")
                continue
            }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            if size != file.bytes {
                problems.append("size differs: \(file.path) (\(size) bytes, manifest says \(file.bytes))")
                continue
            }
            guard let digest = try? FileDigest.sha256(path: path) else {
                problems.append("unreadable: \(file.path)")
                continue
            }
            if digest != file.sha256 { problems.append("checksum differs: \(file.path)") }
        }
        for extra in BackupFiles.regularFiles(under: directory) where !listed.contains(extra)
            && extra != Self.fileName && extra != Self.sumsName
        {
            problems.append("not in the manifest: \(extra)")
        }
        return problems
    }
}
