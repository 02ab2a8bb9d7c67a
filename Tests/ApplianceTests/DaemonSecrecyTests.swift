import Foundation
import IntakeCore
import Registry
import Testing
@testable import Appliance

extension DaemonTests {
    /// The keypad's "mark as MẬT" key corrects the last registered document; the CLI's request
    /// over the socket corrects a numbered one. Both inside the hold window, both audited.
    @Test func theMarkKeyAndTheSocketCorrectSecrecyInsideTheHoldWindow() async throws {
        let dir = TemporaryDirectory()
        // Two FIFOs: a FIFO gives each record to one reader, where an evdev node gives it to all.
        let fifo = dir.path + "/event-kbd", markFifo = dir.path + "/event-mark"
        #expect(mkfifo(fifo, 0o600) == 0 && mkfifo(markFifo, 0o600) == 0)
        let running = try await start(dir, usb: FakeUSB()) { config in
            config.release = Configuration.Release()   // the real 3-minute window
            config.triggers = [.init(kind: .key, inputDevice: fifo, keyCode: 59, profile: "default"),
                               .init(kind: .key, inputDevice: markFifo, keyCode: 60, profile: "", action: .markMat)]
        }
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        let markWriter = try #require(FileHandle(forWritingAtPath: markFifo))
        writer.write(Data(EvdevKeyReader.record(key: 59, value: 1) + EvdevKeyReader.record(key: 59, value: 0)))
        #expect(await waitUntil { ((try? running.context.register.list(book: "DEN")) ?? []).count == 1 })
        try await Task.sleep(for: .milliseconds(300))
        markWriter.write(Data(EvdevKeyReader.record(key: 60, value: 1) + EvdevKeyReader.record(key: 60, value: 0)))
        #expect(await waitUntil { ((try? running.context.register.list(book: "MAT")) ?? []).count == 1 })
        let first = try running.context.register.list(book: "DEN")
        #expect(first.first?.state == .voided)
        #expect(first.first?.voidReason?.contains("phím đánh dấu MẬT") == true)
        #expect(await waitUntil { running.daemon.snapshot().lastDocument?.book == "MAT" })

        _ = try await scanOverSocket(running.context.configuration.paths.socket)
        let reply: ControlReply = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let connection = try UnixConnection.connect(path: running.context.configuration.paths.socket)
                    try connection.send(ControlRequest(command: .mark, correction: SecrecyCorrectionRequest(
                        number: 2, secrecy: "sensitive", reason: "Đơn tố cáo")))
                    guard let reply = try connection.receive(ControlReply.self) else { throw HarnessLikeError() }
                    return reply
                })
            }
        }
        #expect(reply.event == .registered, "\(reply)")
        #expect(reply.document?.book == "MAT" && reply.document?.number == 2)
        #expect(reply.document?.notice?.contains("không lưu và không gửi") == true, "\(String(describing: reply.document?.notice))")
        #expect(try running.context.register.queue().allSatisfy { $0.state == .held })
        #expect(try running.context.register.verifyAuditChain().isValid)
        try writer.close()
        try markWriter.close()
        try await running.stop()
    }
}

extension DaemonTests {
    /// A MẬT document on an Internet box keeps no page, so the clerk gets its number even while
    /// the scanner is unplugged; an ordinary one still needs the scanner.
    @Test func aDocumentWhosePagesAreNotKeptIsNumberedWithTheScannerUnplugged() async throws {
        let dir = TemporaryDirectory()
        let running = try await start(dir, usb: FakeUSB(plugged: false)) { config in
            config.profiles["secret"] = { var p = Configuration.Profile(); p.resolution = 100; p.secrecy = .mat; return p }()
        }
        let socket = running.context.configuration.paths.socket
        let secret = try await scanOverSocket(socket, profile: "secret")
        #expect(secret.last?.event == .registered, "\(secret)")
        #expect(secret.last?.document?.book == "MAT" && secret.last?.document?.pages == 0)
        #expect(secret.last?.document?.notice?.contains("không quét, không lưu") == true)
        let ordinary = try await scanOverSocket(socket)
        #expect(ordinary.last?.event == .error)
        #expect(try running.context.register.list(book: "DEN").isEmpty)
        try await running.stop()
    }
}

struct HarnessLikeError: Error {}
