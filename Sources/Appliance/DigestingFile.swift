internal import CIntakeSystem
internal import FoundationEssentials
internal import IntakeCore
public import Imaging
public import IntakeDigest
#if canImport(Glibc)
internal import Glibc
#endif

/// A plain staged scan, hashed as it is written: the register takes the digest instead of
/// reading the file back (RunningDigest), so the number follows the scanner's last line closely.
/// For the same reason its pages start on their way to the disk as they are written: the
/// register's fsync then waits for the last MiB only, not for the whole batch (a 10-page
/// colour batch, 25 MB, took 14 ms to fsync at the end).
public final class DigestingFile: ByteSink {
    public let path: String
    private var fd: Int32
    /// The SHA-256 of every byte written so far.
    public private(set) var digest = RunningDigest()
    /// Bytes handed to the kernel's writeback so far; the rest is sent every `writebackBytes`.
    private var writebackStarted = 0
    static let writebackBytes = 1 << 20

    /// Creates (or truncates) `path`, 0644 until the register seals it to 0640.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImagingError.io(errno: errno, operation: "open", path: path) }
        self.fd = fd
        self.path = path
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try DurableFile.writeAll(fd, bytes, path: path)
        } catch {
            throw ImagingError.io(errno: error.errno, operation: "write", path: path)
        }
        digest.update(bytes)
        let written = digest.byteCount
        if written - writebackStarted >= Self.writebackBytes {
            // Only a head start for the fsync that makes the file durable: a failure changes nothing.
            _ = intake_start_writeback(fd, Int64(writebackStarted), Int64(written - writebackStarted))
            writebackStarted = written
        }
    }

    public func close() throws {
        let closing = fd
        fd = -1
        guard Glibc.close(closing) == 0 else { throw ImagingError.io(errno: errno, operation: "close", path: path) }
    }
}
