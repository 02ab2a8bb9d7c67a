import Foundation
public import Registry

/// The Prometheus text exposition (format 0.0.4) of one box, for node_exporter's textfile
/// collector: no timestamps, base units (seconds, bytes), `_total` counters.
public struct MetricsText: Sendable {
    public var version: String
    public var organisationCode: String
    public var status: StatusReport
    public var statistics: DeliveryStatistics
    /// Target names from the configuration, so a target with nothing yet still has its series.
    public var targets: [String]
    /// Bytes of PDFs confirmed delivered since the daemon started, per target.
    public var uploadedBytes: [String: Int64]
    public var spoolBytes: Int64
    public var diskFreeBytes: Int64

    public init(version: String, organisationCode: String, status: StatusReport, statistics: DeliveryStatistics,
                targets: [String], uploadedBytes: [String: Int64], spoolBytes: Int64, diskFreeBytes: Int64) {
        self.version = version
        self.organisationCode = organisationCode
        self.status = status
        self.statistics = statistics
        self.targets = targets
        self.uploadedBytes = uploadedBytes
        self.spoolBytes = spoolBytes
        self.diskFreeBytes = diskFreeBytes
    }

    public func render() -> String {
        var out = Output()
        out.family("intake_build_info", .gauge, "Version of intake running on this box (always 1).")
        out.sample("intake_build_info", ["version": version, "organisation": organisationCode], 1)

        let books = statistics.books.keys.sorted()
        out.family("intake_documents_scanned_total", .counter, "Documents scanned and numbered, per register book (voided ones included).")
        for book in books { out.sample("intake_documents_scanned_total", ["book": book], Double(statistics.books[book]?.documents ?? 0)) }
        out.family("intake_pages_scanned_total", .counter, "Pages in the documents numbered, per register book.")
        for book in books { out.sample("intake_pages_scanned_total", ["book": book], Double(statistics.books[book]?.pages ?? 0)) }
        out.family("intake_last_number", .gauge, "Last số đến given, per book and year.")
        for last in status.lastNumbers.sorted(by: { ($0.book, $0.year) < ($1.book, $1.year) }) {
            out.sample("intake_last_number", ["book": last.book, "year": String(last.year)], Double(last.number))
        }

        out.family("intake_upload_attempts_total", .counter, "Delivery attempts per target and result (delivered, retry, needsAttention, corrupt).")
        for attempt in statistics.attempts {
            out.sample("intake_upload_attempts_total", ["target": attempt.target, "result": attempt.outcome], Double(attempt.count))
        }
        let allTargets = Set(targets).union(uploadedBytes.keys).union(statistics.lastDelivered.keys).sorted()
        out.family("intake_uploaded_bytes_total", .counter, "Bytes of PDFs confirmed delivered since the daemon started, per target.")
        for target in allTargets { out.sample("intake_uploaded_bytes_total", ["target": target], Double(uploadedBytes[target] ?? 0)) }
        out.family("intake_last_successful_upload_timestamp_seconds", .gauge, "When each target last confirmed a delivery (Unix time).")
        for target in allTargets {
            if let date = statistics.lastDelivered[target] {
                out.sample("intake_last_successful_upload_timestamp_seconds", ["target": target], date.timeIntervalSince1970)
            }
        }

        out.family("intake_queue_documents", .gauge, "Outbox rows per state.")
        for state in OutboxState.allCases.map(\.rawValue).sorted() {
            out.sample("intake_queue_documents", ["state": state], Double(status.queue[state] ?? 0))
        }
        out.family("intake_oldest_undelivered_timestamp_seconds", .gauge, "Arrival time of the oldest document not yet delivered everywhere (Unix time; 0 when none).")
        out.sample("intake_oldest_undelivered_timestamp_seconds", [:], status.oldestUndelivered?.timeIntervalSince1970 ?? 0)

        out.family("intake_scanner_up", .gauge, "1 when the daemon has its scanner connected.")
        out.sample("intake_scanner_up", [:], status.daemon?.deviceState == .connected ? 1 : 0)
        out.family("intake_clock_ok", .gauge, "1 when the clock is fit for numbering.")
        out.sample("intake_clock_ok", [:], status.clock.ok ? 1 : 0)
        out.family("intake_spool_bytes", .gauge, "Bytes of PDFs on the box still waiting for delivery.")
        out.sample("intake_spool_bytes", [:], Double(spoolBytes))
        out.family("intake_disk_free_bytes", .gauge, "Free bytes where the register and documents live.")
        out.sample("intake_disk_free_bytes", [:], Double(diskFreeBytes))
        out.family("intake_disk_minimum_free_bytes", .gauge, "Below this many free bytes scanning is refused.")
        out.sample("intake_disk_minimum_free_bytes", [:], Double(status.disk.minimumMB) * 1_048_576)

        // A timestamp, not an age: Prometheus computes the age (time() - …) and the value stays
        // right however long ago the file was written (node_exporter practice).
        out.family("intake_backup_last_success_timestamp_seconds", .gauge, "When the last good backup (intake backup) was taken (Unix time; 0 when none was).")
        out.sample("intake_backup_last_success_timestamp_seconds", [:], status.lastBackup?.at.timeIntervalSince1970 ?? 0)
        out.family("intake_backup_last_documents", .gauge, "Documents in the last good backup's copy of the register.")
        out.sample("intake_backup_last_documents", [:], Double(status.lastBackup?.documents ?? 0))
        out.family("intake_backup_last_size_bytes", .gauge, "Bytes in the last good backup (register, documents, sidecars).")
        out.sample("intake_backup_last_size_bytes", [:], Double(status.lastBackup?.bytes ?? 0))
        return out.text
    }

    enum Kind: String { case counter, gauge }

    struct Output {
        var text = ""

        mutating func family(_ name: String, _ kind: Kind, _ help: String) {
            text += "# HELP \(name) \(help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: " "))\n"
            text += "# TYPE \(name) \(kind.rawValue)\n"
        }

        mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
            text += name
            if !labels.isEmpty {
                text += "{" + labels.keys.sorted().map { "\($0)=\"\(Self.escape(labels[$0] ?? ""))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.format(value) + "\n"
        }

        static func escape(_ value: String) -> String {
            value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }

        static func format(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(format: "%.3f", value)
        }
    }
}
