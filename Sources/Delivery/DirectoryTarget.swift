internal import Foundation
internal import IntakeCore
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
            return WriteFailure(outcome: .permanent(status: nil, message: "\(what): \(FileFailure.errorText(code))"))
        case EROFS, EACCES, EPERM:
            return WriteFailure(outcome: .transient(status: nil, message: "cannot write to \(directory) (read-only or no permission): \(FileFailure.errorText(code))", retryAfter: nil))
        default:
            return WriteFailure(outcome: .transient(status: nil, message: "\(what): \(FileFailure.errorText(code))", retryAfter: nil))
        }
    }

    private func copyDurably(from source: String, to destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(errno, "cannot read the document file \(source)") }
        defer { close(input) }
        try durably(destination) { fd in
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(errno, "cannot read the document file \(source)")
                }
                if n == 0 { break }
                try buffer.withUnsafeBytes { try DurableFile.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<n]), path: destination) }
            }
        }
    }

    private func writeDurably(_ bytes: [UInt8], to destination: String) throws {
        try durably(destination) { fd in try DurableFile.writeAll(fd, bytes, path: destination) }
    }

    /// IntakeCore's durable replace (temp `.partial`, mode 0640 whatever the umask, fsync, rename);
    /// the directory is fsynced once, after the pair.
    private func durably(_ destination: String, _ fill: (Int32) throws -> Void) throws {
        do {
            try DurableFile.replace(destination, temporary: destination + ".partial", mode: 0o640, syncDirectory: false, fill)
        } catch let file as FileFailure {
            throw failure(file.errno, file.message)
        }
    }

    private func syncDirectory() throws {
        do {
            try DurableFile.sync(directory)
        } catch {
            throw failure(error.errno, error.operation == .open ? "cannot open \(directory)" : "cannot flush \(directory)")
        }
    }
}
