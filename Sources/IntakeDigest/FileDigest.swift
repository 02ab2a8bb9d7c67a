internal import Crypto
public import IntakeCore
#if canImport(Glibc)
internal import Glibc
#endif

/// The one file SHA-256: the register hashes a PDF when it numbers it, the outbox worker hashes
/// it again before sending, and the two must agree to the letter (lowercase hex) for the
/// corrupt-file check to mean anything.
public enum FileDigest {
    /// Lowercase hex SHA-256 of the file, streamed in 256 KiB reads.
    public static func sha256(path: String) throws(FileFailure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFailure(.open, path, errno: errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileFailure(.read, path, errno: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hex(hasher.finalize())
    }

    /// Lowercase hex SHA-256 of bytes (a string's UTF-8, an audit entry).
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// Lowercase hex of a digest's bytes.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }
}
