import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Testing

// MARK: - RetryPolicy

struct RetryPolicyTests {
    @Test(arguments: [0, 1, 2, 3, 5, 8, 12, 40, 200])
    func delayStaysWithinTheJitterCeiling(attempt: Int) {
        let policy = RetryPolicy(base: .seconds(1), cap: .seconds(60))
        let ceiling = min(Duration.seconds(60), .seconds(1) * (attempt < 20 ? 1 << attempt : Int.max / 2))
        var rng = SystemRandomNumberGenerator()
        var largest = Duration.zero
        for _ in 0..<300 {
            let delay = policy.delay(attempt: attempt, retryAfter: nil, using: &rng)
            #expect(delay >= .zero && delay <= ceiling)
            largest = max(largest, delay)
        }
        // Full jitter spreads over the whole range, not just near zero.
        #expect(largest > ceiling / 2)
        #expect(policy.ceiling(attempt: attempt) == ceiling)
    }

    @Test(arguments: [(Duration.seconds(7), Duration.seconds(7)), (.seconds(90), .seconds(90)), (.seconds(36_000), .seconds(3600))])
    func retryAfterIsWaitedAtLeastUpToTheCap(retryAfter: Duration, atLeast: Duration) {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(5))
        var rng = SystemRandomNumberGenerator()
        for attempt in 0..<10 {
            let delay = policy.delay(attempt: attempt, retryAfter: retryAfter, using: &rng)
            #expect(delay >= atLeast)
            #expect(delay <= max(atLeast, .seconds(5)))
        }
    }
}

// MARK: - RetryAfter

struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // fixed clock

    @Test(arguments: [("7", Duration.seconds(7)), (" 120 ", .seconds(120)), ("0", .zero)])
    func parsesDeltaSeconds(header: String, expected: Duration) {
        #expect(RetryAfter.parse(header, now: Self.now) == expected)
    }

    @Test(arguments: [
        "EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy",
    ])
    func parsesHTTPDatesInAllThreeForms(format: String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        let header = formatter.string(from: Self.now.addingTimeInterval(90))
        #expect(RetryAfter.parse(header, now: Self.now) == .seconds(90), "\(header)")
    }

    @Test func dateInThePastMeansNow() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == .zero)
    }

    @Test(arguments: ["", "soon", "-5", "1.5", "Sun, 99 Nov 1994 08:49:37 GMT"])
    func rejectsNonsense(header: String) {
        #expect(RetryAfter.parse(header, now: Self.now) == nil)
    }
}

// MARK: - BearerToken

struct BearerTokenTests {
    @Test(arguments: [0o600, 0o400])
    func loadsOwnerOnlyFilesTrimmed(mode: Int) throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/token"
        try "s3cret-token\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        #expect(try BearerToken.load(path: path) == "s3cret-token")
    }

    @Test(arguments: [0o644, 0o640, 0o660, 0o604])
    func refusesFilesOthersCanReadNamingChmod600(mode: Int) throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/token"
        try "s3cret-token\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let error = #expect(throws: DeliveryError.self) { try BearerToken.load(path: path) }
        #expect(error?.code == .tokenFileInsecure)
        #expect(error?.message.contains("chmod 600 \(path)") == true)
        #expect(error?.message.contains("0" + String(mode, radix: 8)) == true)
    }

    /// Issue 15 item 9: a token file over 64 KiB is refused, never cut silently.
    @Test func refusesAnOversizedTokenInsteadOfCuttingIt() throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/token"
        try String(repeating: "a", count: 70 * 1024).write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let error = #expect(throws: DeliveryError.self) { try BearerToken.load(path: path) }
        #expect(error?.code == .tokenFileTooLarge)
    }

    @Test func refusesADirectoryAndAMissingFile() throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: DeliveryError.self) { try BearerToken.load(path: dir) }
        let missing = #expect(throws: DeliveryError.self) { try BearerToken.load(path: dir + "/nope") }
        #expect(missing?.code == .tokenFileUnreadable)
    }
}

// MARK: - FileDigest

struct FileDigestTests {
    @Test func matchesTheKnownDigestOfABC() throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "abc".write(toFile: dir + "/abc", atomically: false, encoding: .utf8)
        #expect(try FileDigest.sha256(path: dir + "/abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

// MARK: - HTTPTarget status mapping (fake transport)

/// Answers every request with one canned response and counts calls.
final class CannedTransport: Transport, @unchecked Sendable {
    let response: HTTPResponse
    private let lock = NSLock()
    private var _calls = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return _calls }

    init(_ response: HTTPResponse) { self.response = response }

    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { _calls += 1 }
        return response
    }
}

struct HTTPTargetMappingTests {
    static func item() throws -> (DeliveryItem, String) {
        let dir = try TempDirectory.make()
        return (try Fixtures.item(in: dir, size: 1024), dir)
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504])
    func retryableStatusesAreTransient(status: Int) async throws {
        let (item, dir) = try Self.item()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = HTTPTarget(name: "c", baseURL: "http://127.0.0.1:1", token: "t", transport: CannedTransport(HTTPResponse(status: status)))
        guard case .transient(status, _, nil) = await target.deliver(item) else {
            Issue.record("\(status) should be transient")
            return
        }
    }

    @Test(arguments: [400, 401, 403, 404, 413, 415, 422])
    func otherClientErrorsArePermanent(status: Int) async throws {
        let (item, dir) = try Self.item()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = HTTPTarget(name: "c", baseURL: "http://127.0.0.1:1", token: "t", transport: CannedTransport(HTTPResponse(status: status)))
        guard case .permanent(status, _) = await target.deliver(item) else {
            Issue.record("\(status) should be permanent")
            return
        }
    }

    @Test func conflictIsDeliveredOnlyWhenTheServerHoldsTheSameDocument() async throws {
        let (item, dir) = try Self.item()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let same = #"{"receipt": "R-9", "sha256": "\#(item.metadata.sha256)"}"#
        let target = HTTPTarget(name: "c", baseURL: "http://x", token: nil, transport: CannedTransport(HTTPResponse(status: 409, body: Array(same.utf8))))
        #expect(await target.deliver(item) == .delivered(status: 409, receipt: "R-9"))
        let other = #"{"error": "busy", "sha256": "0000"}"#
        let target2 = HTTPTarget(name: "c", baseURL: "http://x", token: nil, transport: CannedTransport(HTTPResponse(status: 409, headers: ["retry-after": "3"], body: Array(other.utf8))))
        #expect(await target2.deliver(item) == .transient(status: 409, message: "the central system reports a conflict: busy", retryAfter: .seconds(3)))
    }

    @Test func serverMessageIsSanitisedAndCutAt300Characters() async throws {
        let (item, dir) = try Self.item()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let body = Array(("bad\u{1B}[31m\r\nthing " + String(repeating: "x", count: 1000)).utf8)
        let target = HTTPTarget(name: "c", baseURL: "http://x", token: nil, transport: CannedTransport(HTTPResponse(status: 400, body: body)))
        guard case .permanent(400, let message) = await target.deliver(item) else {
            Issue.record("expected permanent")
            return
        }
        #expect(!message.contains("\u{1B}") && !message.contains("\n"))
        #expect(message.count < 300 + 80)
    }

    @Test func requestCarriesTokenIdempotencyKeyAndBothParts() throws {
        let (item, dir) = try Self.item()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = HTTPTarget(name: "c", baseURL: "http://h/api/", token: "tok", transport: CannedTransport(HTTPResponse(status: 200)))
        let request = try target.makeRequest(item)
        #expect(request.url == "http://h/api/documents")
        #expect(request.headers.contains(.init(name: "Authorization", value: "Bearer tok")))
        #expect(request.headers.contains(.init(name: "Idempotency-Key", value: item.metadata.documentID)))
        guard case .multipart(let parts) = request.body else {
            Issue.record("expected multipart")
            return
        }
        #expect(parts.map(\.name) == ["metadata", "file"])
        #expect(parts.map(\.contentType) == ["application/json", "application/pdf"])
        guard case .file(item.filePath) = parts[1].content else {
            Issue.record("file part must stream from disk")
            return
        }
    }

    @Test func classifiedItemNeverReachesTheTransport() async throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let item = try Fixtures.item(in: dir, size: 1024, classified: true)
        let transport = CannedTransport(HTTPResponse(status: 201))
        let target = HTTPTarget(name: "internet", baseURL: "http://x", token: nil, transport: transport)
        #expect(await target.deliver(item) == .permanent(status: nil, message: "classified documents may only go to a secure-network target"))
        #expect(transport.calls == 0)
    }
}

// MARK: - DirectoryTarget

struct DirectoryTargetTests {
    @Test func writesThePDFAndTheJSONAndLeavesNoTemporaryFiles() async throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let usb = dir + "/usb"
        try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: true)
        let item = try Fixtures.item(in: dir, id: "000.00.00.H49-2026-000007", size: 700 * 1024)
        let target = DirectoryTarget(name: "usb", directory: usb)
        #expect(await target.deliver(item) == .delivered(status: nil, receipt: usb + "/000.00.00.H49-2026-000007.pdf"))
        let names = try FileManager.default.contentsOfDirectory(atPath: usb).sorted()
        #expect(names == ["000.00.00.H49-2026-000007.json", "000.00.00.H49-2026-000007.pdf"])
        #expect(try FileDigest.sha256(path: usb + "/000.00.00.H49-2026-000007.pdf") == item.metadata.sha256)
        let json = try Data(contentsOf: URL(fileURLWithPath: usb + "/000.00.00.H49-2026-000007.json"))
        #expect(try JSONDecoder().decode(DocumentMetadata.self, from: json) == item.metadata)
    }

    /// Spool copies are never world-readable, whatever the umask or an earlier temporary file's mode.
    @Test func copiesAreWrittenOwnerAndGroupOnly() async throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let usb = dir + "/usb"
        try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: true)
        let item = try Fixtures.item(in: dir, id: "000.00.00.H49-2026-000008", size: 4096)
        // A leftover temporary file from an earlier, interrupted copy, open to everyone: reused by
        // open(O_TRUNC), it keeps its mode unless the target sets it (no process-wide umask change here).
        for leftover in ["pdf", "json"] {
            let path = usb + "/000.00.00.H49-2026-000008.\(leftover).partial"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8)))
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        }
        _ = await DirectoryTarget(name: "usb", directory: usb).deliver(item)
        for name in try FileManager.default.contentsOfDirectory(atPath: usb) {
            let mode = try FileManager.default.attributesOfItem(atPath: usb + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o640, "\(name): \(String(mode ?? -1, radix: 8))")
        }
    }

    @Test func missingDirectoryIsTransientAndClassifiedIsRefused() async throws {
        let dir = try TempDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let item = try Fixtures.item(in: dir, size: 1024)
        guard case .transient(nil, let message, nil) = await DirectoryTarget(name: "usb", directory: dir + "/unplugged").deliver(item) else {
            Issue.record("expected transient")
            return
        }
        #expect(message.contains("USB"))
        let secret = try Fixtures.item(in: dir, size: 1024, classified: true)
        #expect(await DirectoryTarget(name: "usb", directory: dir).deliver(secret) == .permanent(status: nil, message: "classified documents may only go to a secure-network target"))
        #expect(await DirectoryTarget(name: "usb-av", directory: dir, secureNetwork: true).deliver(secret) != .permanent(status: nil, message: "classified documents may only go to a secure-network target"))
    }
}
