import Delivery
import Foundation
import IntakeCore
import IntakeDigest
import Testing

/// HTTPTarget over CurlTransport against the real intake-receiver on 127.0.0.1.
@Suite(.serialized)
struct HTTPTargetReceiverTests {
    func target(_ receiver: ReceiverProcess, settings: TransportSettings = TransportSettings(), token: String? = nil) throws -> HTTPTarget {
        HTTPTarget(name: "central", baseURL: receiver.url, token: token ?? receiver.token, transport: try CurlTransport(settings: settings))
    }

    @Test func uploadIsDeliveredAndReceiverHoldsTheDocumentWithItsSHA256() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory, size: 300 * 1024)
        let outcome = try await target(receiver).deliver(item)
        #expect(outcome == .delivered(status: 201, receipt: "RCPT-000001"))
        let held = try await receiver.documents()
        try #require(held.count == 1)
        let metadata = try #require(held[0]["metadata"] as? [String: Any])
        #expect(metadata["documentID"] as? String == item.metadata.documentID)
        #expect(metadata["sha256"] as? String == item.metadata.sha256)
        let file = try #require(held[0]["file"] as? String)
        #expect(try FileDigest.sha256(path: receiver.store + "/" + file) == item.metadata.sha256)
    }

    @Test func replayWithTheSameIdempotencyKeyLeavesOneCopy() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory)
        let target = try target(receiver)
        let first = await target.deliver(item)
        let second = await target.deliver(item)
        #expect(first == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(second == first)
        #expect(try await receiver.documents().count == 1)
    }

    @Test func sameKeyWithADifferentBodyIsPermanent422() async throws {
        let receiver = try ReceiverProcess()
        let original = try Fixtures.item(in: receiver.directory, id: "000.00.00.H49-2026-000042")
        let impostor = try Fixtures.item(in: receiver.directory, id: "000.00.00.H49-2026-000042")
        let target = try target(receiver)
        _ = await target.deliver(original)
        let outcome = await target.deliver(impostor)
        guard case .permanent(let status, let message) = outcome else {
            Issue.record("expected permanent, got \(outcome)")
            return
        }
        #expect(status == 422)
        #expect(message.contains("different document"))
        #expect(try await receiver.documents().count == 1)
    }

    @Test func serviceUnavailableWithRetryAfterIsTransientAndCarriesTheDelay() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"failNext": 1, "failStatus": 503, "retryAfter": "7"}"#)
        let item = try Fixtures.item(in: receiver.directory)
        let outcome = try await target(receiver).deliver(item)
        guard case .transient(let status, _, let retryAfter) = outcome else {
            Issue.record("expected transient, got \(outcome)")
            return
        }
        #expect(status == 503)
        #expect(retryAfter == .seconds(7))
        #expect(try await receiver.documents().isEmpty)
    }

    @Test func badRequestIsPermanentWithTheServersMessage() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"failNext": 1, "failStatus": 400, "failMessage": "register book DEN is not known here"}"#)
        let outcome = try await target(receiver).deliver(try Fixtures.item(in: receiver.directory))
        guard case .permanent(let status, let message) = outcome else {
            Issue.record("expected permanent, got \(outcome)")
            return
        }
        #expect(status == 400)
        #expect(message.contains("register book DEN is not known here"))
    }

    @Test func wrongTokenIsPermanent401() async throws {
        let receiver = try ReceiverProcess()
        let outcome = try await target(receiver, token: "wrong").deliver(try Fixtures.item(in: receiver.directory))
        guard case .permanent(let status, _) = outcome else {
            Issue.record("expected permanent, got \(outcome)")
            return
        }
        #expect(status == 401)
    }

    @Test func connectionResetMidUploadIsTransientAndTheRetryLeavesOneCopy() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"resetNext": 1}"#)
        let item = try Fixtures.item(in: receiver.directory, size: 2 * 1024 * 1024)
        let target = try target(receiver)
        let first = await target.deliver(item)
        guard case .transient(nil, _, nil) = first else {
            Issue.record("expected transient without status, got \(first)")
            return
        }
        #expect(try await receiver.documents().isEmpty)
        let second = await target.deliver(item)
        #expect(second == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await receiver.documents().count == 1)
    }

    /// Issue 15 item 9: a 2xx without the receipt the protocol promises (a captive portal's
    /// page, a proxy's "OK") is not a delivery; the retry is answered from the centre's record.
    @Test func aSuccessWithoutAReceiptIsNotADelivery() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"garbageNext": 1}"#)
        let target = try target(receiver)
        let item = try Fixtures.item(in: receiver.directory)
        guard case let .transient(200, message, _) = await target.deliver(item) else {
            Issue.record("a 200 without a receipt must not count as delivered")
            return
        }
        #expect(message.contains("receipt"))
        #expect(await target.deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await receiver.documents().count == 1)
    }

    @Test func oversizedResponseIsAnErrorNotACrash() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"oversizedNext": 1, "oversizedBytes": 3000000}"#)
        var settings = TransportSettings()
        settings.maxResponseBytes = 64 * 1024
        let target = try target(receiver, settings: settings)
        let item = try Fixtures.item(in: receiver.directory)
        let error = await #expect(throws: TransportError.self) {
            _ = try await CurlTransport(settings: settings).perform(try target.makeRequest(item))
        }
        #expect(error?.code == .responseTooLarge)
        // The document was stored before the oversized answer: the retry is answered from the record.
        #expect(await target.deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
    }

    @Test func answerSlowerThanTotalTimeoutIsTransientTimeout() async throws {
        let receiver = try ReceiverProcess()
        try await receiver.setFaults(#"{"delayMs": 2000}"#)
        var settings = TransportSettings()
        settings.totalTimeout = .milliseconds(500)
        let start = ContinuousClock.now
        let transport = try CurlTransport(settings: settings)
        let target = HTTPTarget(name: "central", baseURL: receiver.url, token: receiver.token, transport: transport)
        let item = try Fixtures.item(in: receiver.directory)
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.perform(try target.makeRequest(item))
        }
        #expect(error?.code == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(2))
        guard case .transient(nil, let message, nil) = await target.deliver(item) else {
            Issue.record("expected transient")
            return
        }
        #expect(message.contains("did not answer in time"))
    }

    @Test func receiverDownIsTransientCouldNotConnect() async throws {
        let receiver = try ReceiverProcess()
        let url = receiver.url
        receiver.stop()
        let transport = try CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.perform(HTTPRequest(method: "GET", url: url + "/health"))
        }
        #expect(error?.code == .couldNotConnect)
        let target = HTTPTarget(name: "central", baseURL: url, token: "t", transport: transport)
        guard case .transient(nil, _, nil) = await target.deliver(try Fixtures.item(in: receiver.directory)) else {
            Issue.record("expected transient")
            return
        }
    }

    @Test func classifiedItemToANonSecureTargetIsRefusedWithoutARequest() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory, classified: true)
        let outcome = try await target(receiver).deliver(item)
        #expect(outcome == .permanent(status: nil, message: "classified documents may only go to a secure-network target"))
        #expect(try await receiver.documentPosts() == 0)
        let secure = HTTPTarget(name: "secure", baseURL: receiver.url, token: receiver.token, secureNetwork: true, transport: try CurlTransport())
        #expect(await secure.deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
        #expect(try await receiver.documentPosts() == 1)
    }

    @Test func restartedReceiverRemembersWhatItHolds() async throws {
        let receiver = try ReceiverProcess()
        let item = try Fixtures.item(in: receiver.directory)
        _ = try await target(receiver).deliver(item)
        receiver.stop()
        let again = try ReceiverProcessOnStore(store: receiver.store, token: receiver.token)
        let target = HTTPTarget(name: "central", baseURL: again.url, token: receiver.token, transport: try CurlTransport())
        #expect(await target.deliver(item) == .delivered(status: 201, receipt: "RCPT-000001"))
        again.stop()
    }
}

/// A second receiver on an existing store (restart).
final class ReceiverProcessOnStore {
    let process = Process()
    let url: String

    init(store: String, token: String) throws {
        process.executableURL = try ReceiverProcess.binary()
        process.arguments = ["--port", "0", "--store", store, "--token", token]
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self)
        guard let range = text.range(of: "listening on ") else { throw ReceiverFailure(description: text) }
        url = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
