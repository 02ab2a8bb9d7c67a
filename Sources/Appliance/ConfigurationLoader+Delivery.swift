import Delivery
import IntakeCore
import Registry
import Foundation
import TOMLKit

/// The keys of the paperless-ngx and tus targets, and of `[metrics]`.
extension Reader {
    static let resumableTargetKeys = [
        "chunk_kib", "task_timeout_seconds", "tags", "urgency_tags", "secrecy_tags", "correspondent_from_sender",
        "sender_correspondents", "document_type", "number_field", "asn_books", "create_missing",
    ]

    mutating func resumableTarget(_ table: TOMLTable, at path: String, into target: inout Configuration.Target) {
        let kind = target.kind.rawValue
        if let url = target.url {
            if URL(string: url).flatMap({ $0.scheme == "http" || $0.scheme == "https" ? $0.host : nil }) == nil {
                problem("\(path).url", "'\(url)' is not an http:// or https:// address")
            }
        } else {
            let example = target.kind == .tus ? "https://upload.example.gov.vn/files/" : "https://paperless.example.gov.vn"
            problem("\(path).url", "is required for kind = \"\(kind)\", e.g. \"\(example)\"")
        }
        if target.kind == .paperless, target.tokenFile == nil {
            problem("\(path).token_file", "is required for kind = \"paperless\": a 0600 file holding the paperless-ngx API token")
        }
        if (target.clientCertificate == nil) != (target.clientKey == nil) {
            problem("\(path).client_key", "client_certificate and client_key go together")
        }
        let paperlessOnly = Self.resumableTargetKeys.filter { $0 != "chunk_kib" }
        for key in table.keys {
            if target.kind == .tus, paperlessOnly.contains(key) {
                problem("\(path).\(key)", "applies only to kind = \"paperless\"")
            } else if target.kind == .paperless, key == "chunk_kib" {
                problem("\(path).\(key)", "applies only to kind = \"tus\"")
            }
        }
        if let kib = int(table, "chunk_kib", at: path, range: 16...65536) { target.chunkSize = kib * 1024 }
        target.taskTimeout = seconds(table, "task_timeout_seconds", at: path, range: 1...86400) ?? target.taskTimeout
        var mapping = target.paperless
        if let value = table["tags"] {
            if let array = value.array, array.allSatisfy({ $0.string != nil }) {
                mapping.tags = array.compactMap { $0.string?.precomposedStringWithCanonicalMapping }
            } else {
                problem("\(path).tags", "must be a list of tag names, e.g. [\"Intake\", \"Văn bản đến\"]")
            }
        }
        if let urgency = names(table, "urgency_tags", at: path, keys: Urgency.words) {
            mapping.urgencyTags = Dictionary(uniqueKeysWithValues: urgency.compactMap { key, tag in
                (try? Urgency(word: key)).map { ($0.decreeName, tag) }
            })
        }
        if let secrecy = names(table, "secrecy_tags", at: path, keys: Secrecy.words) {
            mapping.secrecyTags = Dictionary(uniqueKeysWithValues: secrecy.compactMap { key, tag in
                (try? Secrecy(word: key)).map { ($0.decreeName, tag) }
            })
        }
        mapping.correspondentFromSender = bool(table, "correspondent_from_sender", at: path) ?? mapping.correspondentFromSender
        mapping.senderCorrespondents = names(table, "sender_correspondents", at: path, keys: nil) ?? mapping.senderCorrespondents
        if let type = string(table, "document_type", at: path) { mapping.documentType = type.isEmpty ? nil : type }
        if let field = string(table, "number_field", at: path) {
            if field.isEmpty { problem("\(path).number_field", "must name the custom field for the số đến, e.g. \"Số đến\"") }
            else { mapping.numberField = field }
        }
        mapping.createMissing = bool(table, "create_missing", at: path) ?? mapping.createMissing
        if let books = subtable(table, "asn_books", at: path) {
            var slots: [String: Int] = [:]
            for book in books.keys {
                if let slot = int(books, book, at: "\(path).asn_books", range: 0...3) {
                    if slots.values.contains(slot) {
                        problem("\(path).asn_books.\(book)", "slot \(slot) is given to another book; each book needs its own slot so ASNs stay unique")
                    }
                    slots[book] = slot
                }
            }
            mapping.asnBooks = slots
            target.asnBooksConfigured = true
        }
        target.paperless = mapping
    }

    /// A table of names: `{ hoa_toc = "Hỏa tốc" }`; `keys` limits the keys when given.
    private mutating func names(_ table: TOMLTable, _ key: String, at path: String, keys: [String]?) -> [String: String]? {
        guard let sub = subtable(table, key, at: path) else { return nil }
        if let keys { checkKeys(sub, at: "\(path).\(key)", allowed: keys) }
        var result: [String: String] = [:]
        for name in sub.keys {
            if let keys, !keys.contains(name) { continue }
            if let value = string(sub, name, at: "\(path).\(key)") { result[name.precomposedStringWithCanonicalMapping] = value }
        }
        return result
    }

    mutating func metrics(_ root: TOMLTable) -> Configuration.Metrics? {
        guard let table = subtable(root, "metrics", at: "") else { return nil }
        checkKeys(table, at: "metrics", allowed: ["textfile", "interval_seconds"])
        var metrics = Configuration.Metrics()
        if let path = string(table, "textfile", at: "metrics") {
            if !path.hasPrefix("/") {
                problem("metrics.textfile", "must be an absolute path, e.g. \"/var/lib/prometheus/node-exporter/intake.prom\"")
            } else if !path.hasSuffix(".prom") {
                problem("metrics.textfile", "must end in .prom: node_exporter's textfile collector reads only *.prom files")
            } else {
                metrics.textfile = path
            }
        }
        metrics.interval = seconds(table, "interval_seconds", at: "metrics", range: 1...3600) ?? metrics.interval
        return metrics
    }
}
