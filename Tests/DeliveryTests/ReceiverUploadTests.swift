import Delivery
import Foundation
import IntakeCore
import Testing

/// The receiver's upload reader against hostile bodies, sent as raw bytes: each is refused with
/// a 4xx naming the problem, nothing is stored, and no partial file stays in `incoming`.
@Suite(.serialized)
struct ReceiverUploadTests {
    static let boundary = "intake-test-boundary"

    func post(_ receiver: ReceiverProcess, _ body: [UInt8], contentType: String = "multipart/form-data; boundary=\(boundary)",
              key: String = "k-\(UUID().uuidString)") async throws -> HTTPResponse {
        try await CurlTransport().perform(HTTPRequest(
            method: "POST", url: receiver.url + "/documents",
            headers: [.init(name: "Authorization", value: "Bearer \(receiver.token)"), .init(name: "Idempotency-Key", value: key),
                      .init(name: "Content-Type", value: contentType)],
            body: .bytes(body)))
    }

    static func part(_ name: String, _ content: [UInt8], filename: String? = nil) -> [UInt8] {
        let disposition = "form-data; name=\"\(name)\"" + (filename.map { "; filename=\"\($0)\"" } ?? "")
        return Array("--\(boundary)\r\nContent-Disposition: \(disposition)\r\n\r\n".utf8) + content + Array("\r\n".utf8)
    }

    static let closing = Array("--\(boundary)--\r\n".utf8)

    static func metadata(for file: [UInt8], id: String = "000.00.00.H49-DEN-2026-000001-abcd") -> [UInt8] {
        Array(#"{"documentID":"\#(id)","sha256":"\#(FileDigest.sha256(file))"}"#.utf8)
    }

    func expectNothingKept(_ receiver: ReceiverProcess) async throws {
        #expect(try await receiver.documents().isEmpty)
        let incoming = (try? FileManager.default.contentsOfDirectory(atPath: receiver.store + "/incoming")) ?? []
        #expect(incoming.isEmpty, "partial uploads left behind: \(incoming)")
    }

    @Test func aWellFormedRawUploadIsStoredByteForByte() async throws {
        let receiver = try ReceiverProcess()
        let file = Array("%PDF-1.4\n".utf8) + (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = try await post(receiver, Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file, filename: "d.pdf") + Self.closing)
        #expect(response.status == 201, "\(String(decoding: response.body, as: UTF8.self))")
        let stored = try #require(try await receiver.documents().first?["file"] as? String)
        #expect(FileManager.default.contents(atPath: receiver.store + "/" + stored) == Data(file))
    }

    @Test func aBodyCutBeforeItsClosingBoundaryStoresNothing() async throws {
        let receiver = try ReceiverProcess()
        let file = Array(repeating: UInt8(ascii: "x"), count: 50_000)
        let body = Self.part("metadata", Self.metadata(for: file)) + Array(Self.part("file", file, filename: "d.pdf").prefix(30_000))
        let response = try await post(receiver, body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("ended inside the part"))
        try await expectNothingKept(receiver)
    }

    @Test func aBodyWithoutAnyBoundaryLineIsRefused() async throws {
        let receiver = try ReceiverProcess()
        let response = try await post(receiver, Array(repeating: UInt8(ascii: "-"), count: 100_000))
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"metadata\" is missing"))
        try await expectNothingKept(receiver)
    }

    @Test func aContentTypeWithoutABoundaryIsRefused() async throws {
        let receiver = try ReceiverProcess()
        for contentType in ["multipart/form-data", "multipart/form-data; boundary=", "application/json",
                            "multipart/form-data; boundary=" + String(repeating: "b", count: 71)] {
            let response = try await post(receiver, Self.closing, contentType: contentType)
            #expect(response.status == 400, "\(contentType)")
        }
        try await expectNothingKept(receiver)
    }

    @Test func aMetadataPartOverOneMebibyteIsRefused() async throws {
        let receiver = try ReceiverProcess()
        let huge = Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
        let response = try await post(receiver, Self.part("metadata", huge) + Self.part("file", [1, 2, 3]) + Self.closing)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("metadata part is larger"))
        try await expectNothingKept(receiver)
    }

    @Test func aFilePartSentTwiceIsRefused() async throws {
        let receiver = try ReceiverProcess()
        let file: [UInt8] = [1, 2, 3]
        let body = Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file) + Self.part("file", [9, 9]) + Self.closing
        let response = try await post(receiver, body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("comes twice"))
        try await expectNothingKept(receiver)
    }

    @Test func aPartWithoutANameIsReadPastAndTheMissingFileNamed() async throws {
        let receiver = try ReceiverProcess()
        let file: [UInt8] = [1, 2, 3]
        let nameless = Array("--\(Self.boundary)\r\nContent-Type: application/pdf\r\n\r\n".utf8) + file + Array("\r\n".utf8)
        let response = try await post(receiver, Self.part("metadata", Self.metadata(for: file)) + nameless + Self.closing)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"file\" is missing"))
        try await expectNothingKept(receiver)
    }

    @Test func anUploadOverTheCapIsRefusedWith413AndLeavesNoPartialFile() async throws {
        let receiver = try ReceiverProcess(extraArguments: ["--max-body-mb", "1"])
        let file = Array(repeating: UInt8(ascii: "y"), count: 3 << 20)
        let response = try await post(receiver, Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file) + Self.closing)
        #expect(response.status == 413)
        try await expectNothingKept(receiver)
    }

    /// The file part goes to disk as it arrives: receiving 48 MiB raises the receiver's peak
    /// resident memory by far less than the upload (the old reader held the whole body).
    @Test func aLargeUploadStreamsToDiskInsteadOfMemory() async throws {
        let receiver = try ReceiverProcess()
        // 48 MiB: one random MiB repeated (the reader hashes and writes whatever it gets).
        let path = receiver.directory + "/large.pdf"
        let block = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255) })
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<48 { try handle.write(contentsOf: block) }
        try handle.close()
        var item = try Fixtures.item(in: receiver.directory)
        item.filePath = path
        item.metadata.sha256 = try FileDigest.sha256(path: path)
        let before = try #require(peakResidentKiB(receiver.process.processIdentifier))
        let target = HTTPTarget(name: "central", baseURL: receiver.url, token: receiver.token, transport: try CurlTransport())
        guard case .delivered = await target.deliver(item) else {
            Issue.record("the 48 MiB upload was not delivered")
            return
        }
        let after = try #require(peakResidentKiB(receiver.process.processIdentifier))
        #expect(after - before < 24 * 1024, "peak RSS grew by \(after - before) KiB for a 48 MiB upload")
    }

    func peakResidentKiB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
    }
}
