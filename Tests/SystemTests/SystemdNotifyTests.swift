import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension SystemSuite {

/// `intake serve` speaks sd_notify like a Type=notify service: READY, STATUS, WATCHDOG, STOPPING.
@Suite struct SystemdNotifyTests {
    /// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
    final class NotifySocket {
        let path: String
        let fd: Int32
        init() throws {
            path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw HarnessError("bind \(path): \(errno)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd); unlink(path) }

        /// Every message received until `timeout`.
        func messages(for timeout: TimeInterval, until stop: ([String]) -> Bool = { _ in false }) -> [String] {
            var received: [String] = []
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline && !stop(received) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { received.append(String(decoding: buffer[..<n], as: UTF8.self)) }
            }
            return received
        }
    }

    @Test func serveReportsReadyStatusWatchdogAndStopping() throws {
        let notify = try NotifySocket()
        let world = try World()
        try world.writeConfig(port: nil)
        var environment = world.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "400000"
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: environment)
        let early = notify.messages(for: 15) { messages in
            messages.contains { $0.contains("READY=1") } && messages.contains("WATCHDOG=1")
        }
        #expect(early.contains { $0.contains("READY=1") && $0.contains("STATUS=ready") }, "\(early)")
        #expect(early.contains("WATCHDOG=1"), "\(early)")
        daemon.signal(SIGTERM)
        let late = notify.messages(for: 10) { $0.contains { $0.contains("STOPPING=1") } }
        #expect(late.contains { $0.contains("STOPPING=1") }, "\(late)")
        #expect(daemon.wait(timeout: 20) == 0)
    }
}
}
