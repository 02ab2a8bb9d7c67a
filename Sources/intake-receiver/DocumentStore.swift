import IntakeCore
import IntakeDigest
import Foundation

/// What the receiver holds: one document per Idempotency-Key, remembered across restarts in
/// `<store>/index.jsonl` (one JSON line per document, appended and fsynced) beside
/// `<store>/documents/<n>.pdf`.
actor DocumentStore {
    struct Entry: Codable, Sendable {
        var idempotencyKey: String
        /// sha256(metadata part) + ":" + sha256(file): what "the same body" means.
        var fingerprint: String
        var status: Int
        /// The JSON answered first, answered again to a replay.
        var response: String
        /// The metadata part exactly as received (JSON text).
        var metadata: String
        var receipt: String
        var receivedAt: String
        var file: String
    }

    enum Admission {
        case new
        case replay(Entry)
        case conflict(Entry)
        case busy
    }

    private let root: String
    /// Where uploads stream to while they arrive (`<store>/incoming`); emptied at start.
    nonisolated let incoming: String
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var inProgress: Set<String> = []
    /// The next receipt and file number: past every number ever used (index and files), so a
    /// torn index line can never make a receipt number or a stored PDF come twice.
    private var nextSequence = 1
    private(set) var documentPosts = 0

    init(root: String) throws {
        self.root = root
        incoming = root + "/incoming"
        try FileManager.default.createDirectory(atPath: root + "/documents", withIntermediateDirectories: true)
        // An upload cut off by a crash was never answered: its partial file goes.
        try? FileManager.default.removeItem(atPath: incoming)
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        let index = root + "/index.jsonl"
        if let data = FileManager.default.contents(atPath: index) {
            var goodLength = 0
            var offset = 0
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let end = offset + line.count
                defer { offset = end + 1 }
                guard end < data.count, let entry = try? JSONDecoder().decode(Entry.self, from: Data(line)) else { continue }
                goodLength = end + 1
                if entries[entry.idempotencyKey] == nil { order.append(entry.idempotencyKey) }
                entries[entry.idempotencyKey] = entry
                nextSequence = max(nextSequence, (Int(entry.receipt.dropFirst(5)) ?? 0) + 1)
            }
            // A torn last line (crash while appending) was never answered: cut it off, so the
            // next line starts on a line of its own.
            if goodLength < data.count {
                try Durable.truncate(index, to: goodLength)
            }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/documents")) ?? [] {
            if let number = Int(name.prefix { $0.isNumber }) { nextSequence = max(nextSequence, number + 1) }
        }
    }

    func countPost() { documentPosts += 1 }

    func admit(key: String, fingerprint: String) -> Admission {
        if let entry = entries[key] {
            return entry.fingerprint == fingerprint ? .replay(entry) : .conflict(entry)
        }
        if inProgress.contains(key) { return .busy }
        inProgress.insert(key)
        return .new
    }

    func abandon(key: String) {
        inProgress.remove(key)
    }

    /// Moves the received file (fsynced, in `incoming`) to its number and appends the index
    /// line; returns the stored entry.
    func commit(key: String, fingerprint: String, metadata: String, documentID: String, sha256: String, fileAt path: String) throws -> Entry {
        defer { inProgress.remove(key) }
        let sequence = nextSequence
        nextSequence += 1
        let receipt = String(format: "RCPT-%06d", sequence)
        let fileName = String(format: "documents/%06d.pdf", sequence)
        try DurableFile.rename(path, root + "/" + fileName)
        try DurableFile.sync(root + "/documents")
        let response = String(decoding: try JSONEncoder.canonical.encode(Receipt(receipt: receipt, documentID: documentID, sha256: sha256)), as: UTF8.self)
        let entry = Entry(
            idempotencyKey: key, fingerprint: fingerprint, status: 201, response: response, metadata: metadata,
            receipt: receipt, receivedAt: ISO8601DateFormatter().string(from: Date()), file: fileName)
        var line = try JSONEncoder().encode(entry)
        line.append(UInt8(ascii: "\n"))
        try Durable.append(Array(line), to: root + "/index.jsonl")
        entries[key] = entry
        order.append(key)
        return entry
    }

    /// The answer to a stored upload.
    struct Receipt: Codable {
        var receipt: String
        var documentID: String
        var sha256: String
    }

    /// One document in `GET /documents`.
    struct Listed: Encodable {
        var idempotencyKey: String
        var metadata: JSONValue
        var receipt: String
        var receivedAt: String
        var file: String
    }

    /// `GET /documents`: metadata, receipt and received time of every held document.
    func listing() throws -> [UInt8] {
        let list = order.compactMap { key in
            entries[key].map { entry in
                Listed(idempotencyKey: key,
                       metadata: (try? JSONDecoder().decode(JSONValue.self, from: Data(entry.metadata.utf8))) ?? .object([:]),
                       receipt: entry.receipt, receivedAt: entry.receivedAt, file: entry.file)
            }
        }
        return Array(try JSONEncoder.canonical.encode(list))
    }
}

enum Hex {
    static func sha256<D: DataProtocol>(_ data: D) -> String {
        FileDigest.sha256(Array(data))
    }
}
