internal import Foundation
internal import Glibc  // the appliance is Linux (SANE, systemd, evdev)

/// Writes `<directory>/<documentID>.pdf` and `.json` durably, for carrying a backlog by hand
/// (a USB drive). The PDF lands first, the JSON last: a JSON file means the pair is complete.
public struct DirectoryTarget: DeliveryTarget {
    public let name: String
    public let secureNetwork: Bool
    public let directory: String

    /// `secureNetwork`: true only for an approved secure storage device.
    public init(name: String, directory: String, secureNetwork: Bool = false) {
        self.name = name
        self.directory = directory
        self.secureNetwork = secureNetwork
    }

    public func deliver(_ item: DeliveryItem) async -> DeliveryOutcome {
        if item.metadata.classified && !secureNetwork {
            return .permanent(status: nil, message: Self.classifiedRefusal)
        }
        let base = HTTPTarget.safeFileName(item.metadata.documentID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let json = try? encoder.encode(item.metadata) else {
            return .permanent(status: nil, message: "the document's details could not be encoded")
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            return .transient(status: nil, message: "the directory \(directory) is not there — is the USB drive plugged in?", retryAfter: nil)
        }
        do {
            try copyDurably(from: item.filePath, to: "\(directory)/\(base).pdf")
            try writeDurably(Array(json), to: "\(directory)/\(base).json")
            try syncDirectory()
        } catch let failure as WriteFailure {
            return failure.outcome
        } catch {
            return .transient(status: nil, message: "writing to \(directory) failed: \(error)", retryAfter: nil)
        }
        return .delivered(status: nil, receipt: "\(directory)/\(base).pdf")
    }

    // MARK: - Durable writes

    struct WriteFailure: Error {
        var outcome: DeliveryOutcome
    }

    private func failure(_ code: Int32, _ what: String) -> WriteFailure {
        switch code {
        case ENOSPC, EDQUOT:
            return WriteFailure(outcome: .transient(status: nil, message: "the drive at \(directory) is full — free space or use another drive", retryAfter: nil))
        case ENOENT:
            return WriteFailure(outcome: .permanent(status: nil, message: "\(what): \(POSIX.errorText(code))"))
        case EROFS, EACCES, EPERM:
            return WriteFailure(outcome: .transient(status: nil, message: "cannot write to \(directory) (read-only or no permission): \(POSIX.errorText(code))", retryAfter: nil))
        default:
            return WriteFailure(outcome: .transient(status: nil, message: "\(what): \(POSIX.errorText(code))", retryAfter: nil))
        }
    }

    private func copyDurably(from source: String, to destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(errno, "cannot read the document file \(source)") }
        defer { close(input) }
        try withTemporary(for: destination) { fd in
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(errno, "cannot read the document file \(source)")
                }
                if n == 0 { break }
                if let code = buffer.withUnsafeBytes({ POSIX.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }) {
                    throw failure(code, "cannot write \(destination)")
                }
            }
        }
    }

    private func writeDurably(_ bytes: [UInt8], to destination: String) throws {
        try withTemporary(for: destination) { fd in
            if let code = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
                throw failure(code, "cannot write \(destination)")
            }
        }
    }

    /// temp file → fill → fsync → rename over `destination`; the temp file is removed on failure.
    private func withTemporary(for destination: String, _ fill: (Int32) throws -> Void) throws {
        let temporary = destination + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno, "cannot create \(temporary)") }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
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
            throw failure(code, "cannot flush \(temporary)")
        }
        if close(fd) != 0 { throw failure(errno, "cannot close \(temporary)") }
        guard rename(temporary, destination) == 0 else { throw failure(errno, "cannot rename \(temporary)") }
        renamed = true
    }

    private func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(errno, "cannot open \(directory)") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure(errno, "cannot flush \(directory)") }
    }
}
