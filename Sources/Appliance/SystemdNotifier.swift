public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET per message.
///
/// READY=1 once the daemon takes requests, STATUS= for `systemctl status`, WATCHDOG=1 at half
/// the interval systemd asks for in $WATCHDOG_USEC. Outside systemd every call is a no-op.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// The watchdog interval systemd expects pings within, if the unit set WatchdogSec=.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0,
           environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true {
            watchdogInterval = .microseconds(usec)
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(status)") }
    public func reloading() { send("RELOADING=1") }

    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let sent = UnixSocketAddress.with(path, abstractNamespace: true) { address, length in
            message.withCString { text in sendto(fd, text, strlen(text), Int32(MSG_NOSIGNAL), address, length) }
        } ?? -1
        return sent >= 0
    }
}
