import Foundation
import IntakeCore
#if canImport(Glibc)
import Glibc
#endif

/// File primitives for backup and restore: durable copies, walks, removal.
enum BackupFiles {
    /// Relative paths of the regular files under `root`, sorted; temporary files skipped.
    static func regularFiles(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if relative.hasSuffix(".tmp") { continue }
            files.append(relative)
        }
        return files.sorted()
    }

    /// Copies a file and fsyncs the copy; returns its size. The directory is fsynced by the caller.
    @discardableResult
    static func copy(_ source: String, to destination: String) throws -> Int64 {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure("open \(source)") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw failure("create \(destination)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read \(source)")
            }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let written = buffer.withUnsafeBytes { raw in raw.baseAddress.map { write(output, $0 + offset, n - offset) } ?? -1 }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("write \(destination)")
                }
                offset += written
            }
            total += Int64(n)
        }
        guard fsync(output) == 0 else { throw failure("fsync \(destination)") }
        return total
    }

    static func writeDurably(_ data: Data, to path: String, mode: Int = 0o600) throws {
        do {
            try DurableFile.write(data, to: path, temporary: path + ".tmp", mode: UInt32(mode))
        } catch {
            throw failure(error)
        }
    }

    static func makeDirectory(_ path: String, mode: Int = 0o700) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        } catch {
            throw OperationsError(.backupFailed, "Cannot create a directory.", detail: "mkdir \(path): \(error)")
        }
    }

    static func syncFile(_ path: String) throws {
        do {
            try DurableFile.sync(path)
        } catch {
            throw failure(error)
        }
    }

    static func directory(of path: String) -> String {
        DurableFile.directory(of: path)
    }

    static func failure(_ file: FileFailure) -> OperationsError {
        OperationsError(.backupFailed, file.errno == ENOSPC ? "The backup disk is full." : "A file operation failed.",
                        detail: "\(file.operation) \(file.path): \(String(cString: strerror(file.errno)))")
    }

    static func failure(_ what: String) -> OperationsError {
        let code = errno
        return OperationsError(.backupFailed, code == ENOSPC ? "The backup disk is full." : "A file operation failed.",
                               detail: "\(what): \(String(cString: strerror(code)))")
    }
}

extension BackupFiles {
    /// When run as root (a technician with sudo), gives `paths` (recursively) to the owner of
    /// `directory`, so the service user can use what root restored or recorded.
    static func matchOwner(of directory: String, _ paths: [String]) {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        for path in paths {
            _ = lchown(path, info.st_uid, info.st_gid)
            guard let walk = FileManager.default.enumerator(atPath: path) else { continue }
            while let relative = walk.nextObject() as? String { _ = lchown(path + "/" + relative, info.st_uid, info.st_gid) }
        }
    }
}
