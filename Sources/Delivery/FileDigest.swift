internal import Crypto
internal import Glibc  // the appliance is Linux (SANE, systemd, evdev)

/// Checksums of files on disk, read in chunks.
public enum FileDigest {
    /// Lowercase hex SHA-256 of the file, streamed in 256 KiB reads.
    public static func sha256(path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw DeliveryError(
                code: .fileUnreadable, message: "cannot read the document file \(path)",
                detail: POSIX.errorText(code))
        }
        defer { close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw DeliveryError(
                    code: .fileUnreadable, message: "cannot read the document file \(path)",
                    detail: POSIX.errorText(code))
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
