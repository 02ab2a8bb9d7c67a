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
        let directory = DurableFile.directory(of: path)
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).\(getpid()).tmp"
        do {
            try DurableFile.write(Array(text.utf8), to: path, temporary: temporary, mode: 0o644)
        } catch {
            let what = switch error.operation {
            case .create: "create"
            case .write: "write"
            case .rename: "rename"
            default: "fsync"
            }
            throw MetricsError(path: error.path, what: what, code: error.errno)
        }
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
