#if canImport(Glibc)
import IntakeCore
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The PDF being uploaded, read a chunk at a time at any offset (never whole into memory).
final class TusSourceFile {
    let path: String
    let size: Int64
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw DeliveryError(code: .fileUnreadable, message: "cannot read the document file \(path)", detail: POSIX.errorText(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw DeliveryError(code: .fileUnreadable, message: "cannot read the document file \(path)", detail: POSIX.errorText(code))
        }
        size = Int64(info.st_size)
    }

    deinit { close(fd) }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        let wanted = Int(min(Int64(count), max(0, size - offset)))
        var buffer = [UInt8](repeating: 0, count: wanted)
        var done = 0
        while done < wanted {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(fd, base + done, wanted - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw DeliveryError(code: .fileUnreadable, message: "cannot read the document file \(path)", detail: POSIX.errorText(code))
            }
            if n == 0 {
                throw DeliveryError(code: .fileUnreadable, message: "the document file \(path) became shorter while uploading", detail: "EOF at \(Int64(done) + offset) of \(size)")
            }
            done += n
        }
        return buffer
    }
}
