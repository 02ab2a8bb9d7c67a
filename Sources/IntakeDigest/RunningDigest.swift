internal import Crypto
public import IntakeCore
#if canImport(Glibc)
internal import Glibc
#endif

/// A SHA-256 fed as a file is written, so the register need not read a freshly scanned PDF back
/// to hash it (25 MB of colour pages took two full passes, ~70 ms, between the scanner's last line
/// and the number). It also continues over bytes appended later (the ĐẾN stamp's incremental
/// update) without reading the start of the file again. Same hex as `FileDigest.sha256(path:)`.
public struct RunningDigest {
    private var hasher = SHA256()
    /// Bytes fed so far: the file's size when it was written through this digest.
    public private(set) var byteCount = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
        byteCount += bytes.count
    }

    /// Lowercase hex SHA-256 of the bytes so far (the digest itself goes on taking bytes).
    public var hex: String {
        FileDigest.hex(hasher.finalize())
    }

    /// This digest continued over the bytes of `path` past `byteCount`: the hash of the whole file
    /// when its first `byteCount` bytes are the ones already fed and the rest were appended.
    public func continued(overTailOf path: String) throws(FileFailure) -> RunningDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFailure(.open, path, errno: errno) }
        defer { close(fd) }
        var digest = self
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var offset = off_t(byteCount)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileFailure(.read, path, errno: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += off_t(n)
        }
        return digest
    }
}
