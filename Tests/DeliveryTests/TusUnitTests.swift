import IntakeCore
@testable import Delivery
import Foundation
import Testing

/// A tus server played in memory: keeps uploads, honours offsets, and can be told to fail.
final class FakeTus: @unchecked Sendable {
    let lock = NSLock()
    var uploads: [String: [UInt8]] = [:]
    var lengths: [String: Int] = [:]
    var extensions = "creation,termination"
    var checksumAlgorithms: String?
    var created = 0
    /// Answers to give to the next PATCH requests instead of handling them.
    var patchScript: [Int] = []
    /// Drop the link (throw) on these PATCH numbers, after keeping half of the chunk.
    var dropOnPatch: Set<Int> = []
    var patches = 0
    var corruptNextChecksum = false
    var statesSeenAtPatch: [String?] = []
    var stateProbe: () -> String? = { nil }

    func answer(_ request: HTTPRequest) throws -> HTTPResponse {
        try lock.withLock {
            switch request.method {
            case "OPTIONS":
                var headers = ["tus-version": "1.0.0", "tus-extension": extensions, "tus-max-size": "100000000"]
                if let checksumAlgorithms { headers["tus-checksum-algorithm"] = checksumAlgorithms }
                return HTTPResponse(status: 204, headers: headers)
            case "POST":
                created += 1
                let id = "u\(created)"
                uploads[id] = []
                lengths[id] = Int(request.header("Upload-Length") ?? "") ?? -1
                return HTTPResponse(status: 201, headers: ["location": "/files/\(id)"])
            case "HEAD":
                guard let id = request.url.split(separator: "/").last.map(String.init), let data = uploads[id] else { return HTTPResponse(status: 404) }
                return HTTPResponse(status: 200, headers: ["upload-offset": String(data.count), "upload-length": String(lengths[id] ?? 0)])
            case "PATCH":
                patches += 1
                statesSeenAtPatch.append(stateProbe())
                if !patchScript.isEmpty {
                    let status = patchScript.removeFirst()
                    return HTTPResponse(status: status)
                }
                guard let id = request.url.split(separator: "/").last.map(String.init), var data = uploads[id] else { return HTTPResponse(status: 404) }
                guard Int(request.header("Upload-Offset") ?? "") == data.count else { return HTTPResponse(status: 409) }
                let body = request.bodyBytes
                if let checksum = request.header("Upload-Checksum") {
                    // The helper itself is checked against the FIPS 180 vector below.
                    let expected = "sha1 " + TusTarget.checksum(body, algorithm: "sha1")
                    if corruptNextChecksum || checksum != expected {
                        corruptNextChecksum = false
                        return HTTPResponse(status: 460)
                    }
                }
                if dropOnPatch.contains(patches) {
                    data += body.prefix(body.count / 2)
                    uploads[id] = data
                    throw TransportError(code: .connectionReset, message: "reset")
                }
                data += body
                uploads[id] = data
                return HTTPResponse(status: 204, headers: ["upload-offset": String(data.count)])
            default:
                return HTTPResponse(status: 405)
            }
        }
    }
}

struct TusTargetTests {
    let content: [UInt8] = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    func target(_ fake: FakeTus, chunk: Int = 3000) -> (TusTarget, ScriptedTransport) {
        let transport = ScriptedTransport { try fake.answer($0) }
        var target = TusTarget(name: "tus", endpoint: "http://tus.local/files/", chunkSize: chunk, transport: transport)
        target.pause = .milliseconds(1)
        return (target, transport)
    }

    @Test func uploadURLIsStoredBeforeTheFirstPatchAndTheFileArrivesWhole() async throws {
        let fake = FakeTus()
        let state = StateBox()
        fake.stateProbe = { state.value }
        let (target, transport) = target(fake)
        let file = try temporaryFile(bytes: content)
        let outcome = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file, saveResumeState: { state.save($0) }))
        #expect(outcome == .delivered(status: 204, receipt: "http://tus.local/files/u1"))
        #expect(fake.uploads["u1"] == content)
        #expect(fake.statesSeenAtPatch.allSatisfy { $0 == "tus:http://tus.local/files/u1" })
        let post = try #require(transport.requests.first { $0.method == "POST" })
        #expect(post.header("Upload-Length") == "10000")
        let metadata = post.header("Upload-Metadata") ?? ""
        for key in ["filename", "filetype", "document_id", "so_den", "book", "year", "sha256"] { #expect(metadata.contains("\(key) ")) }
        #expect(transport.requests.filter { $0.method == "PATCH" }.map(\.bodyBytes.count) == [3000, 3000, 3000, 1000])
    }

    @Test func aDroppedLinkIsResumedFromTheServersOffsetWithoutResendingWhatItKept() async throws {
        let fake = FakeTus()
        fake.dropOnPatch = [2]
        let (target, transport) = target(fake)
        let file = try temporaryFile(bytes: content)
        #expect(await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 204, receipt: "http://tus.local/files/u1"))
        #expect(fake.uploads["u1"] == content)
        let sent = transport.requests.filter { $0.method == "PATCH" }.map(\.bodyBytes.count).reduce(0, +)
        #expect(sent <= content.count + 3000)
        #expect(transport.requests.contains { $0.method == "HEAD" })
    }

    @Test func aStoredUploadIsContinuedAfterARestart() async throws {
        let fake = FakeTus()
        fake.uploads["u7"] = Array(content.prefix(6000))
        fake.lengths["u7"] = content.count
        let (target, transport) = target(fake)
        let file = try temporaryFile(bytes: content)
        let outcome = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file, resumeState: "tus:http://tus.local/files/u7"))
        #expect(outcome == .delivered(status: 204, receipt: "http://tus.local/files/u7"))
        #expect(fake.uploads["u7"] == content)
        #expect(fake.created == 0)
        #expect(transport.requests.filter { $0.method == "PATCH" }.map(\.bodyBytes.count) == [3000, 1000])
    }

    @Test func aForgottenUploadStartsANewOne() async throws {
        let fake = FakeTus()
        let state = StateBox("tus:http://tus.local/files/gone")
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: content)
        let outcome = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file, resumeState: state.value, saveResumeState: { state.save($0) }))
        #expect(outcome == .delivered(status: 204, receipt: "http://tus.local/files/u1"))
        #expect(state.value == "tus:http://tus.local/files/u1")
    }

    @Test func a409AsksHeadAndA423IsRetried() async throws {
        let fake = FakeTus()
        fake.patchScript = [409, 423]
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: content)
        #expect(await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 204, receipt: "http://tus.local/files/u1"))
        #expect(fake.uploads["u1"] == content)
    }

    @Test func a404MidUploadStartsOver() async throws {
        let fake = FakeTus()
        fake.patchScript = [404]
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: content)
        #expect(await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 204, receipt: "http://tus.local/files/u2"))
        #expect(fake.uploads["u2"] == content)
    }

    @Test(arguments: [412, 413])
    func preconditionOrSizeRefusalsArePermanent(_ status: Int) async throws {
        let fake = FakeTus()
        fake.patchScript = [status]
        let (target, _) = target(fake)
        let file = try temporaryFile(bytes: content)
        guard case .permanent(let got, _) = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected permanent"); return
        }
        #expect(got == status)
    }

    @Test func checksumsAreSentOnlyWhenAdvertisedAndA460ResendsTheChunk() async throws {
        let plain = FakeTus()
        let (target1, transport1) = target(plain)
        let file = try temporaryFile(bytes: content)
        _ = await target1.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file))
        #expect(transport1.requests.allSatisfy { $0.header("Upload-Checksum") == nil })

        let checked = FakeTus()
        checked.extensions = "creation,checksum"
        checked.checksumAlgorithms = "md5,sha1"
        checked.corruptNextChecksum = true
        let (target2, transport2) = target(checked)
        #expect(await target2.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) == .delivered(status: 204, receipt: "http://tus.local/files/u1"))
        #expect(checked.uploads["u1"] == content)
        let patches = transport2.requests.filter { $0.method == "PATCH" }
        #expect(patches.allSatisfy { $0.header("Upload-Checksum")?.hasPrefix("sha1 ") == true })
        #expect(patches.count == 5)  // the first chunk twice
    }

    @Test func checksumHelperMatchesTheStandardVectors() {
        #expect(TusTarget.checksum(Array("abc".utf8), algorithm: "sha1") == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        #expect(TusTarget.checksum(Array("abc".utf8), algorithm: "sha256") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test func aFileLargerThanTheServerAcceptsIsPermanent() async throws {
        let fake = FakeTus()
        let transport = ScriptedTransport { request in
            request.method == "OPTIONS" ? HTTPResponse(status: 204, headers: ["tus-version": "1.0.0", "tus-extension": "creation", "tus-max-size": "100"]) : try fake.answer(request)
        }
        let target = TusTarget(name: "tus", endpoint: "http://tus.local/files/", transport: transport)
        let file = try temporaryFile(bytes: content)
        guard case .permanent = await target.deliver(DeliveryItem(metadata: sampleMetadata(), filePath: file)) else {
            Issue.record("expected permanent"); return
        }
        #expect(fake.created == 0)
    }
}
