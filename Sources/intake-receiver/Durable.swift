import Foundation
import IntakeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The receiver's store writes through IntakeCore's `DurableFile` (temp → fsync → rename →
/// fsync dir); here only what a store needs beyond it: fsynced appends and cuts.
enum Durable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func writeFile<Bytes: Collection<UInt8>>(_ bytes: Bytes, to path: String) throws {
        do {
            try DurableFile.write(bytes, to: path, temporary: path + ".partial", mode: 0o644)
        } catch {
            throw Failure(description: "cannot write \(path): errno \(error.errno)")
        }
    }

    /// Cuts `path` to `length` bytes, durably.
    static func truncate(_ path: String, to length: Int) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else {
            throw Failure(description: "cannot truncate \(path): errno \(errno)")
        }
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        do {
            try DurableFile.writeAll(fd, bytes, path: path)
        } catch {
            throw Failure(description: "cannot append to \(path): errno \(error.errno)")
        }
        guard fsync(fd) == 0 else { throw Failure(description: "cannot append to \(path): errno \(errno)") }
    }

}
