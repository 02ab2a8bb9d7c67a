import Delivery
import Registry
extension ConfigurationPrinter {
    /// The keys of a paperless-ngx or tus target, as `config show` prints them.
    static func resumableTargetLines(_ t: Configuration.Target) -> [String] {
        switch t.kind {
        case .tus:
            return ["chunk_kib = \(t.chunkSize / 1024)"]
        case .paperless:
            let m = t.paperless
            func table(_ pairs: [String: String]) -> String {
                "{ " + pairs.keys.sorted().map { "\(q($0)) = \(q(pairs[$0] ?? ""))" }.joined(separator: ", ") + " }"
            }
            // urgency/secrecy keys are stored in the register's spelling (hoaToc); print the config's (hoa_toc).
            func urgencyWord(_ key: String) -> String { Urgency.allCases.first { $0.decreeName == key }?.word ?? key }
            func secrecyWord(_ key: String) -> String { Secrecy.allCases.first { $0.decreeName == key }?.word ?? key }
            var lines = ["task_timeout_seconds = \(seconds(t.taskTimeout))",
                         "tags = [\(m.tags.map(q).joined(separator: ", "))]",
                         "urgency_tags = \(table(Dictionary(uniqueKeysWithValues: m.urgencyTags.map { (urgencyWord($0.key), $0.value) })))",
                         "secrecy_tags = \(table(Dictionary(uniqueKeysWithValues: m.secrecyTags.map { (secrecyWord($0.key), $0.value) })))",
                         "correspondent_from_sender = \(m.correspondentFromSender)",
                         "number_field = \(q(m.numberField))",
                         "create_missing = \(m.createMissing)"]
            if !m.senderCorrespondents.isEmpty { lines.append("sender_correspondents = \(table(m.senderCorrespondents))") }
            lines.append("document_type = \(q(m.documentType ?? ""))")
            if t.asnBooksConfigured {
                lines.append("asn_books = { " + m.asnBooks.keys.sorted().map { "\($0) = \(m.asnBooks[$0] ?? 0)" }.joined(separator: ", ") + " }")
            }
            return lines
        default:
            return []
        }
    }

    static func metricsSection(_ metrics: Configuration.Metrics) -> String? {
        guard let path = metrics.textfile else { return nil }
        return "\n[metrics]\ntextfile = \(q(path))\ninterval_seconds = \(seconds(metrics.interval))"
    }
}
