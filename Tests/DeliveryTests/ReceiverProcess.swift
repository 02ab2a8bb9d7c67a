import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Testing

/// A real intake-receiver on 127.0.0.1, started with --port 0 and killed when released.
final class ReceiverProcess: @unchecked Sendable {
    let process = Process()
    let url: String
    let store: String
    let token = "test-token-\(UInt32.random(in: 0...UInt32.max))"
    let directory: String

    /// `directory`: reuse a store left by an earlier receiver (a restart); default a new one.
    init(extraArguments: [String] = [], directory existing: String? = nil) throws {
        directory = try existing ?? TempDirectory.make()
        store = directory + "/store"
        process.executableURL = try Self.binary()
        process.arguments = ["--port", "0", "--store", store, "--token", token] + extraArguments
        let stdout = Pipe()
        process.standardOutput = stdout
        _ = FileManager.default.createFile(atPath: directory + "/receiver.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/receiver.log")
        try process.run()
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "listening on ") else {
            process.terminate()
            throw ReceiverFailure(description: "receiver did not start: \(text)")
        }
        url = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Set to keep the store when this process goes (a later receiver restarts on it).
    var keepStore = false

    deinit {
        stop()
        if !keepStore { try? FileManager.default.removeItem(atPath: directory) }
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The receiver binary sits beside the test bundle in the build directory.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(argument0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        var walk = argument0
        for _ in 0..<4 {
            walk = walk.deletingLastPathComponent()
            candidates.append(walk)
        }
        for directory in candidates {
            let binary = directory.appendingPathComponent("intake-receiver")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw ReceiverFailure(description: "intake-receiver binary not found near \(argument0.path)")
    }

    // MARK: - Admin helpers, over the transport under test

    func setFaults(_ json: String) async throws {
        let response = try await CurlTransport().perform(HTTPRequest(
            method: "POST", url: url + "/admin/faults",
            headers: [.init(name: "Authorization", value: "Bearer \(token)")], body: .bytes(Array(json.utf8))))
        try #require(response.status == 200, "setting faults failed: \(String(decoding: response.body, as: UTF8.self))")
    }

    func documents() async throws -> [[String: Any]] {
        let response = try await CurlTransport().perform(HTTPRequest(
            method: "GET", url: url + "/documents", headers: [.init(name: "Authorization", value: "Bearer \(token)")]))
        try #require(response.status == 200)
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
    }

    func documentPosts() async throws -> Int {
        let response = try await CurlTransport().perform(HTTPRequest(
            method: "GET", url: url + "/admin/stats", headers: [.init(name: "Authorization", value: "Bearer \(token)")]))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(json["documentPosts"] as? Int)
    }
}

struct ReceiverFailure: Error, CustomStringConvertible {
    var description: String
}

enum TempDirectory {
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "/intake-delivery-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

enum Fixtures {
    /// A PDF-ish file of `size` random bytes and its delivery item.
    static func item(in directory: String, id: String = "000.00.00.H49-2026-\(Int.random(in: 1...999_999))", size: Int = 64 * 1024, classified: Bool = false) throws -> DeliveryItem {
        var bytes = Array("%PDF-1.7\n".utf8)
        var rng = SystemRandomNumberGenerator()
        bytes.reserveCapacity(size)
        while bytes.count < size { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
        let path = directory + "/\(UUID().uuidString).pdf"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let metadata = DocumentMetadata(
            documentID: id, organisationCode: "000.00.00.H49", book: classified ? "MAT" : "DEN", year: 2026, number: 17,
            arrivedAt: "2026-11-23T08:30:00+07:00", urgency: "hoa-toc", secrecy: classified ? "mat" : "thuong",
            classified: classified, pages: 3, sha256: try FileDigest.sha256(path: path),
            fields: ["trichYeu": "Công văn về việc tiếp nhận hồ sơ"])
        return DeliveryItem(metadata: metadata, filePath: path)
    }
}
