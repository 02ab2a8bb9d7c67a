#if canImport(Glibc)
internal import Glibc
#endif

/// The one way a file is written durably: a temporary file beside it, filled, fsynced, renamed
/// over the destination, then the directory fsynced — a reader (or a crash) sees the old file
/// or the new one, never half of one. The register, the directory target, backups, the metrics
/// file and the reference receiver all write through here.
public enum DurableFile {
    /// Writes `bytes` to `path` durably. `temporary` defaults to `path + ".tmp"`; `mode` is set
    /// on the temporary file whatever the umask or an earlier copy's mode says.
    public static func write(
        _ bytes: some Collection<UInt8>, to path: String, temporary: String? = nil, mode: UInt32 = 0o640
    ) throws(FileFailure) {
        let temporary = temporary ?? path + ".tmp"
        do {
            try replace(path, temporary: temporary, mode: mode) { fd in
                try writeAll(fd, Array(bytes), path: temporary)
            }
        } catch let failure as FileFailure {
            throw failure
        } catch {
            throw FileFailure(.write, temporary, errno: EIO)  // writeAll throws only FileFailure
        }
    }

    /// temp → `fill(fd)` → fsync → rename over `path` → fsync the directory. The temporary file
    /// is removed when anything fails; `fill`'s own errors pass through unchanged.
    public static func replace(
        _ path: String, temporary: String? = nil, mode: UInt32 = 0o640, syncDirectory: Bool = true,
        _ fill: (Int32) throws -> Void
    ) throws {
        let temporary = temporary ?? path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw FileFailure(.create, temporary, errno: errno) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        if fchmod(fd, mode_t(mode)) != 0 {
            let code = errno
            close(fd)
            throw FileFailure(.create, temporary, errno: code)
        }
        do {
            try fill(fd)
        } catch {
            close(fd)
            throw error
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw FileFailure(.sync, temporary, errno: code)
        }
        if close(fd) != 0 { throw FileFailure(.write, temporary, errno: errno) }
        try rename(temporary, path)
        renamed = true
        if syncDirectory { try sync(directory(of: path)) }
    }

    /// Writes all of `bytes` to `fd`, retrying after EINTR and short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileFailure) {
        let failure: FileFailure? = bytes.withUnsafeBytes { raw in
            do {
                try writeAll(fd, raw, path: path)
                return nil
            } catch {
                return error as? FileFailure ?? FileFailure(.write, path, errno: EIO)
            }
        }
        if let failure { throw failure }
    }

    public static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String) throws(FileFailure) {
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, base + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileFailure(.write, path, errno: errno)
            }
            offset += n
        }
    }

    /// rename(2), nothing more: the caller fsyncs the directory when it has moved all it moves.
    public static func rename(_ from: String, _ to: String) throws(FileFailure) {
        if Glibc.rename(from, to) != 0 { throw FileFailure(.rename, from, errno: errno) }
    }

    /// fsync(2) of a file or a directory.
    public static func sync(_ path: String) throws(FileFailure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFailure(.open, path, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileFailure(.sync, path, errno: errno) }
    }

    /// The directory holding `path` ("." for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }
}
