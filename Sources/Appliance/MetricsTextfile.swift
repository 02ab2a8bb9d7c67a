import Foundation
public import IntakeCore

/// Writes the metrics file the way node_exporter's textfile collector wants it: a temporary file
/// in the same directory (not ending in .prom, so the collector never reads it), mode 0644 so
/// the prometheus user can read it, flushed, then renamed over the old one. A reader sees the
/// old file or the new one, never half of one.
public struct MetricsTextfile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func write(_ text: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MetricsError(path: temporary, what: "create", code: errno) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            fchmod(fd, 0o644)  // whatever the umask says
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress.map { $0 + written }, bytes.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw MetricsError(path: temporary, what: "write", code: errno)
                }
                written += n
            }
            guard fsync(fd) == 0 else { throw MetricsError(path: temporary, what: "fsync", code: errno) }
        }
        guard rename(temporary, path) == 0 else { throw MetricsError(path: path, what: "rename", code: errno) }
        ok = true
    }
}

/// The metrics file could not be written (the journal says so; scanning goes on).
public struct MetricsError: IntakeError {
    public var path: String
    public var what: String
    public var code: Int32

    public var errorCode: String { "metrics.writeFailed" }
    public var message: String { "cannot \(what) the metrics file \(path)" }
    public var detail: String { String(cString: strerror(code)) + " (errno \(code))" }
}
