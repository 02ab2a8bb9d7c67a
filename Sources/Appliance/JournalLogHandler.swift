public import Foundation
public import Logging

/// Writes one line per log event to stderr with the `<N>` priority prefix journald understands,
/// so `journalctl -p warning -u intake` works without a logging library of our own.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let prefixPriority: Bool

    public init(label: String, level: Logger.Level = .info,
                prefixPriority: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.label = label
        self.logLevel = level
        self.prefixPriority = prefixPriority
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote("\($0.value)"))" }.joined(separator: " ")
        let body = fields.isEmpty ? "\(event.message)" : "\(event.message) \(fields)"
        let line: String
        if prefixPriority {
            line = "<\(Self.priority(event.level))>\(body)\n"
        } else {
            let stamp = Date().formatted(.iso8601.time(includingFractionalSeconds: false))
            line = "\(stamp) \(event.level.rawValue.uppercased()) \(label): \(body)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? "\"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"" : value
    }
}
