internal import IntakeCore
internal import Glibc  // the appliance is Linux (SANE, systemd, evdev)

/// Small POSIX helpers shared by the file-handling types in this module.
/// An errno value carried through `Result`.
struct Errno: Error {
    var code: Int32
}

enum POSIX {
    static func errorText(_ code: Int32) -> String { FileFailure.errorText(code) }

    /// Reads the whole file (for small files: tokens).
    static func readSmallFile(_ path: String, limit: Int) -> Result<[UInt8], Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count <= limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(code: errno))
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return .success(out)
    }
}
