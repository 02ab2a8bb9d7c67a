import Foundation
import Testing
@testable import Appliance

/// The control socket answers on threads of its own (the poll thread and ControlExecutor),
/// never waiting for a thread of the cooperative pool, which uploads, checksums and register
/// work keep busy on a two-core box.
@Suite(.serialized) struct ControlSocketTests {
    @Test func statusIsAnsweredWhileEveryThreadOfTheCooperativePoolIsBusy() async throws {
        let dir = TemporaryDirectory()
        let running = try await DaemonTests().start(dir, usb: FakeUSB())
        let socket = running.context.configuration.paths.socket
        // Every other thread of the pool blocks; this task holds the last one while it asks.
        let others = max(1, ProcessInfo.processInfo.activeProcessorCount) - 1
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<others {
            Task.detached { Self.hold(started: started, until: release) }
        }
        let replies = Self.askWhileHeld(socket, holders: others, started: started)
        for _ in 0..<others { release.signal() }
        #expect(try replies.get().first?.event == .status)
        try await running.stop()
    }

    static func hold(started: DispatchSemaphore, until release: DispatchSemaphore) {
        started.signal()
        release.wait()
    }

    /// Waits until the holders hold their threads, then asks for the status on this one.
    static func askWhileHeld(_ socket: String, holders: Int, started: DispatchSemaphore) -> Result<[ControlReply], any Error> {
        for _ in 0..<holders { started.wait() }
        return Result { try DaemonTests.rawExchange(socket, #"{"command":"status"}"#) }
    }
}
