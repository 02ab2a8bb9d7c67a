import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock (flock) beside the documents, so registrations in several processes (the
/// daemon, a direct `intake scan`) and start-up recovery never overlap: registering holds it
/// shared, `recover()` holds it exclusive. Recovery therefore never mistakes another process's
/// registration in flight for a crash leftover. The kernel drops the lock when a process dies,
/// so kill -9 never leaves it held.
struct RegisterLock: Sendable {
    let path: String

    init(documentsDirectory: String) {
        path = documentsDirectory + "/.register.lock"
    }

    func shared<T>(_ body: () throws -> T) throws -> T { try held(LOCK_SH, body) }
    func exclusive<T>(_ body: () throws -> T) throws -> T { try held(LOCK_EX, body) }

    /// A fresh descriptor per holder: flock belongs to the open file description, so threads
    /// sharing one descriptor would release each other's lock.
    private func held<T>(_ operation: Int32, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw RegistryError.storage("Không mở được sổ đăng ký.", detail: "open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            throw RegistryError.storage("Không mở được sổ đăng ký.", detail: "flock \(path): \(String(cString: strerror(errno)))")
        }
        return try body()
    }
}
