import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

    /// The receiver's "error" text of a refusal.
    func errorText(_ response: HTTPResponse) -> String {
        struct Refusal: Decodable { var error: String }
        return (try? JSONDecoder().decode(Refusal.self, from: Data(response.body)))?.error ?? String(decoding: response.body, as: UTF8.self)
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
        #expect(errorText(response).contains("ended inside the part"))
        try await expectNothingKept(receiver)
    }

    @Test func aBodyWithoutAnyBoundaryLineIsRefused() async throws {
        let receiver = try ReceiverProcess()
        let response = try await post(receiver, Array(repeating: UInt8(ascii: "-"), count: 100_000))
        #expect(response.status == 400)
        #expect(errorText(response).contains("\"metadata\" is missing"))
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
        #expect(errorText(response).contains("metadata part is larger"))
        try await expectNothingKept(receiver)
    }

    @Test func aFilePartSentTwiceIsRefused() async throws {
        let receiver = try ReceiverProcess()
        let file: [UInt8] = [1, 2, 3]
        let body = Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file) + Self.part("file", [9, 9]) + Self.closing
        let response = try await post(receiver, body)
        #expect(response.status == 400)
        #expect(errorText(response).contains("comes twice"))
        try await expectNothingKept(receiver)
    }

    @Test func aPartWithoutANameIsReadPastAndTheMissingFileNamed() async throws {
        let receiver = try ReceiverProcess()
        let file: [UInt8] = [1, 2, 3]
        let nameless = Array("--\(Self.boundary)\r\nContent-Type: application/pdf\r\n\r\n".utf8) + file + Array("\r\n".utf8)
        let response = try await post(receiver, Self.part("metadata", Self.metadata(for: file)) + nameless + Self.closing)
        #expect(response.status == 400)
        #expect(errorText(response).contains("\"file\" is missing"))
        try await expectNothingKept(receiver)
    }

    @Test func anUploadOverTheCapIsRefusedWith413AndLeavesNoPartialFile() async throws {
        let receiver = try ReceiverProcess(extraArguments: ["--max-body-mb", "1"])
        let file = Array(repeating: UInt8(ascii: "y"), count: 3 << 20)
        let response = try await post(receiver, Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file) + Self.closing)
        #expect(response.status == 413)
        try await expectNothingKept(receiver)
    }

    /// The file part goes to disk as it arrives: with half of a 1 MiB file sent and the rest
    /// held back, the partial file in `incoming/` already holds what came (the old reader kept
    /// the whole body in memory until its end); the upload then completes as usual.
    @Test func theFilePartReachesTheDiskBeforeTheUploadEnds() async throws {
        let receiver = try ReceiverProcess()
        let file = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
        let body = Self.part("metadata", Self.metadata(for: file)) + Self.part("file", file, filename: "d.pdf") + Self.closing
        let head = "POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(receiver.token)\r\n"
            + "Idempotency-Key: streamed\r\nContent-Type: multipart/form-data; boundary=\(Self.boundary)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let connection = try RawConnection(port: try LoopbackPort.of(receiver.url))
        let half = body.count / 2
        try connection.send(Array(head.utf8) + body[0..<half])
        let incoming = receiver.store + "/incoming"
        func partialBytes() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []).reduce(0) { total, name in
                total + (((try? FileManager.default.attributesOfItem(atPath: incoming + "/" + name))?[.size] as? Int) ?? 0)
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while partialBytes() < 256 * 1024 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(partialBytes() >= 256 * 1024, "\(partialBytes()) bytes on disk with half the upload sent")
        try connection.send(Array(body[half...]))
        let answer = try connection.receiveAll()
        #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer.prefix(300))")
        let stored = try #require(try await receiver.documents().first?["file"] as? String)
        #expect(FileManager.default.contents(atPath: receiver.store + "/" + stored) == Data(file))
    }
}

/// A plain TCP connection to 127.0.0.1, for sending a request in pieces.
final class RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ReceiverFailure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw ReceiverFailure(description: "connect: errno \(errno)") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ReceiverFailure(description: "send: errno \(errno)") }
            offset += n
        }
    }

    /// Everything until the server closes (or 60 s pass).
    func receiveAll() throws -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
