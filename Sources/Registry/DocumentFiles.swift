import Foundation
import IntakeDigest
import IntakeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a registration in flight leaves beside its PDF so recovery can finish it.
struct Sidecar: Codable, Sendable {
    var uuid: String
    var document: NewDocument
    var sha256: String
    var stagedAtMs: Int64
    /// Size of the PDF as scanned, before the ĐẾN stamp is appended (nil in older sidecars).
    var bytes: Int? = nil
}

/// The documents directory: durable moves (temp → fsync → rename → fsync dir).
///
/// Layout: `.pending/<uuid>.pdf` + `.pending/<uuid>.json` while a registration is in flight,
/// `YYYY/<id>.pdf` once its row is committed.
struct DocumentFiles: Sendable {
    let root: String
    var pendingDirectory: String { root + "/.pending" }

    func pendingPDF(_ uuid: String) -> String { pendingDirectory + "/\(uuid).pdf" }
    func sidecar(_ uuid: String) -> String { pendingDirectory + "/\(uuid).json" }
    func absolute(_ relative: String) -> String { root + "/" + relative }

    static func relativePath(year: Int, id: String) -> String { "\(year)/\(id).pdf" }

    func prepareDirectories() throws {
        try makeDirectory(root)
        try makeDirectory(pendingDirectory)
    }

    // MARK: - steps of a registration

    /// Fsyncs the caller's staged PDF and returns its SHA-256 (`digest`'s when its writer gave one).
    func seal(staged path: String, digest: RunningDigest? = nil) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.invalidField(
                "Không tìm thấy tệp PDF vừa quét.", detail: "staged file missing: \(path)")
        }
        // Never world-readable, whatever the writer's umask was: owner and group (the service's).
        guard chmod(path, 0o640) == 0 else {
            throw RegistryError.storage("Không ghi được tệp văn bản.", detail: "chmod \(path): errno \(errno)")
        }
        try Self.fsync(path)
        return try digest?.hex ?? Hashing.file(path)
    }

    /// Writes the sidecar durably, then moves the staged PDF into `.pending/`.
    func stage(_ sidecar: Sidecar) throws {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(sidecar)
        } catch {
            throw RegistryError.storage("Không ghi được tệp đi kèm.", detail: "encode sidecar: \(error)")
        }
        try writeDurably(data, to: self.sidecar(sidecar.uuid))
        try Self.rename(sidecar.document.stagedFile, pendingPDF(sidecar.uuid))
        try Self.fsync(pendingDirectory)
        try Self.fsync(Self.directory(of: sidecar.document.stagedFile))
    }

    /// Undoes `stage` after a failed transaction: the caller gets its file back, nothing numbered.
    func unstage(_ sidecar: Sidecar) throws {
        try Self.rename(pendingPDF(sidecar.uuid), sidecar.document.stagedFile)
        try Self.fsync(Self.directory(of: sidecar.document.stagedFile))
        try remove(self.sidecar(sidecar.uuid))
        try Self.fsync(pendingDirectory)
    }

    /// Moves a committed document's PDF from `.pending/` to its final place and drops its sidecar.
    func finish(uuid: String, relativePath: String) throws {
        let final = absolute(relativePath)
        let directory = Self.directory(of: final)
        if !FileManager.default.fileExists(atPath: directory) {
            try makeDirectory(directory)
            try Self.fsync(root)
        }
        try Self.rename(pendingPDF(uuid), final)
        try Self.fsync(directory)
        try remove(sidecar(uuid))
        try Self.fsync(pendingDirectory)
    }

    /// Cuts a PDF in `.pending/` back to its size as scanned: the ĐẾN stamp is an appended
    /// update, so this removes a stamp whose number was never committed.
    func restoreUnstamped(_ sidecar: Sidecar) throws {
        guard let bytes = sidecar.bytes else { return }
        let pdf = pendingPDF(sidecar.uuid)
        guard let size = try? Self.size(pdf), size > bytes else { return }
        guard truncate(pdf, off_t(bytes)) == 0 else {
            throw RegistryError.storage("Không ghi bền được tệp.", detail: "truncate \(pdf) to \(bytes): errno \(errno)")
        }
        try Self.fsync(pdf)
    }

    // MARK: - primitives

    static func size(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw RegistryError.storage("Không đọc được tệp văn bản.", detail: "stat \(path): errno \(errno)")
        }
        return Int(info.st_size)
    }

    func writeDurably(_ data: Data, to path: String, temporary: String? = nil) throws {
        // Not FileManager.createFile: it writes through a hidden temporary file of its own,
        // which a crash would leave behind under a name recovery does not know.
        do {
            try DurableFile.write(data, to: path, temporary: temporary ?? path + ".tmp", mode: 0o640)
        } catch {
            switch error.operation {
            case .rename: throw Self.renameFailed(error)
            case .sync, .syncDirectory, .open: throw Self.syncFailed(error)
            default:
                throw RegistryError.storage("Không ghi được tệp (đĩa đầy?).", detail: "\(error.operation) \(error.path): \(error.detail)")
            }
        }
    }

    func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw RegistryError.storage("Không xóa được tệp tạm.", detail: "unlink \(path): errno \(errno)")
        }
    }

    func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RegistryError.storage("Không tạo được thư mục lưu văn bản.", detail: "mkdir \(path): \(error)")
        }
    }

    static func directory(of path: String) -> String {
        DurableFile.directory(of: path)
    }

    static func rename(_ from: String, _ to: String) throws {
        do {
            try DurableFile.rename(from, to)
        } catch {
            throw renameFailed(error, to: to)
        }
    }

    /// fsync(2) a file or a directory.
    static func fsync(_ path: String) throws {
        do {
            try DurableFile.sync(path)
        } catch {
            throw syncFailed(error)
        }
    }

    private static func renameFailed(_ error: FileFailure, to: String? = nil) -> RegistryError {
        RegistryError.storage(
            "Không chuyển được tệp văn bản vào kho lưu.",
            detail: "rename \(error.path)\(to.map { " -> " + $0 } ?? ""): \(error.detail)")
    }

    private static func syncFailed(_ error: FileFailure) -> RegistryError {
        RegistryError.storage("Không ghi bền được tệp.", detail: "fsync \(error.path): \(error.detail)")
    }
}
