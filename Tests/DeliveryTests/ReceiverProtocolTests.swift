import Delivery
import Foundation
import Testing

/// The intake-receiver's own rules, spoken to with raw requests over CurlTransport.
@Suite(.serialized)
struct ReceiverProtocolTests {
    func upload(_ receiver: ReceiverProcess, metadata: DocumentMetadata, file: String, key: String?) async throws -> HTTPResponse {
        var headers: [HTTPRequest.Header] = [.init(name: "Authorization", value: "Bearer \(receiver.token)")]
        if let key { headers.append(.init(name: "Idempotency-Key", value: key)) }
        let json = try JSONEncoder().encode(metadata)
        return try await CurlTransport().perform(HTTPRequest(
            method: "POST", url: receiver.url + "/documents", headers: headers,
            body: .multipart([
                MultipartPart(name: "metadata", contentType: "application/json", content: .bytes(Array(json))),
                MultipartPart(name: "file", filename: "d.pdf", contentType: "application/pdf", content: .file(path: file)),
            ])))
    }

    @Test func missingIdempotencyKeyIs400() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory)
        let response = try await upload(receiver, metadata: item.metadata, file: item.filePath, key: nil)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("Idempotency-Key"))
        #expect(try await receiver.documents().isEmpty)
    }

    @Test func fileNotMatchingMetadataSHA256Is422() async throws {
        let receiver = try ReceiverProcess()
        var item = try Fixtures.item(in: receiver.directory)
        item.metadata.sha256 = String(repeating: "0", count: 64)
        let response = try await upload(receiver, metadata: item.metadata, file: item.filePath, key: item.metadata.documentID)
        #expect(response.status == 422)
        #expect(try await receiver.documents().isEmpty)
    }

    @Test func replayAnswersTheFirstAnswer() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory)
        let first = try await upload(receiver, metadata: item.metadata, file: item.filePath, key: item.metadata.documentID)
        let second = try await upload(receiver, metadata: item.metadata, file: item.filePath, key: item.metadata.documentID)
        #expect(first.status == 201)
        #expect(second.status == first.status)
        #expect(second.body == first.body)
        #expect(second.headers["idempotent-replayed"] == "true")
    }

    @Test func failureRateFromFlagsFailsWith503AndRetryAfter() async throws {
        let receiver = try ReceiverProcess(extraArguments: ["--failure-rate", "1", "--seed", "3"])
        let target = HTTPTarget(name: "central", baseURL: receiver.url, token: receiver.token, transport: try CurlTransport())
        let outcome = await target.deliver(try Fixtures.item(in: receiver.directory))
        guard case .transient(503, _, .seconds(1)) = outcome else {
            Issue.record("expected transient 503 with Retry-After 1, got \(outcome)")
            return
        }
        try await receiver.setFaults(#"{"failureRate": 0}"#)
        guard case .delivered = await target.deliver(try Fixtures.item(in: receiver.directory)) else {
            Issue.record("expected delivery once the failure rate is 0")
            return
        }
    }

    /// Issue 15 item 8: a crash mid-append leaves a torn last index line; the restarted
    /// receiver neither reuses a receipt number nor overwrites a stored PDF.
    @Test func aTornIndexLineNeverReusesAReceiptOrOverwritesAStoredFile() async throws {
        let first = try ReceiverProcess()
        first.keepStore = true
        var receipts: [String] = []
        for _ in 0..<2 {
            let item = try Fixtures.item(in: first.directory)
            let response = try await upload(first, metadata: item.metadata, file: item.filePath, key: item.metadata.documentID)
            #expect(response.status == 201)
            receipts.append(String(decoding: response.body, as: UTF8.self))
        }
        first.stop()
        let stored = FileManager.default.contents(atPath: first.store + "/documents/000002.pdf")
        let index = first.store + "/index.jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: index))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"idempotencyKey":"torn","finger"#.utf8))
        try handle.close()

        let second = try ReceiverProcess(directory: first.directory)
        for _ in 0..<2 {
            let item = try Fixtures.item(in: second.directory)
            let response = try await upload(second, metadata: item.metadata, file: item.filePath, key: item.metadata.documentID)
            #expect(response.status == 201)
            receipts.append(String(decoding: response.body, as: UTF8.self))
        }
        #expect(receipts.map { $0.contains("RCPT-00000\(receipts.firstIndex(of: $0)! + 1)") } == [true, true, true, true])
        #expect(try FileManager.default.contents(atPath: second.store + "/documents/000002.pdf") == stored)
        #expect(try await second.documents().count == 4)
        let lines = try String(contentsOfFile: index, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }

    @Test func healthAnswersWithoutAToken() async throws {
        let receiver = try ReceiverProcess()
        let response = try await CurlTransport().perform(HTTPRequest(method: "GET", url: receiver.url + "/health"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
    }
}
