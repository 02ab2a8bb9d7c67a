import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads key presses from a Linux evdev node (/dev/input/event*), e.g. a USB keypad or a foot
/// switch. Works on any file or FIFO carrying `struct input_event` records, which is how the
/// tests feed it.
public struct EvdevKeyReader: Sendable {
    /// `struct input_event` on 64-bit Linux: timeval (16) + type (2) + code (2) + value (4).
    static let recordSize = 24
    static let eventKey: UInt16 = 1
    static let pressed: Int32 = 1

    public let path: String
    public init(path: String) { self.path = path }

    /// Decodes the key codes pressed (not released or auto-repeated) in a run of records.
    public static func pressedKeys(in bytes: [UInt8]) -> [Int] {
        var keys: [Int] = []
        var offset = 0
        while offset + recordSize <= bytes.count {
            let type = UInt16(bytes[offset + 16]) | UInt16(bytes[offset + 17]) << 8
            let code = UInt16(bytes[offset + 18]) | UInt16(bytes[offset + 19]) << 8
            let value = Int32(bitPattern: UInt32(bytes[offset + 20]) | UInt32(bytes[offset + 21]) << 8
                | UInt32(bytes[offset + 22]) << 16 | UInt32(bytes[offset + 23]) << 24)
            if type == eventKey && value == pressed { keys.append(Int(code)) }
            offset += recordSize
        }
        return keys
    }

    /// Encodes one key press and release, for tests and for `intake doctor`.
    public static func record(key: Int, value: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: recordSize)
        bytes[16] = UInt8(eventKey & 0xff)
        bytes[18] = UInt8(key & 0xff)
        bytes[19] = UInt8((key >> 8) & 0xff)
        withUnsafeBytes(of: value.littleEndian) { for i in 0..<4 { bytes[20 + i] = $0[i] } }
        return bytes
    }

    /// Blocks reading the device and calls `onKey` for every press, until the device goes away
    /// (unplugged: returns the error) or `shouldStop` says so.
    public func run(shouldStop: @Sendable () -> Bool, onKey: (Int) -> Void) -> EvdevError? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return EvdevError(path: path, errno: errno) }
        defer { close(fd) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: EvdevKeyReader.recordSize * 32)
        while !shouldStop() {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 500)
            if ready < 0 { if errno == EINTR { continue }; return EvdevError(path: path, errno: errno) }
            if ready == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return EvdevError(path: path, errno: errno) }
            if n == 0 { return EvdevError(path: path, errno: ENODEV) }
            pending.append(contentsOf: chunk[..<n])
            let whole = pending.count - pending.count % EvdevKeyReader.recordSize
            for key in Self.pressedKeys(in: Array(pending[..<whole])) { onKey(key) }
            pending.removeFirst(whole)
        }
        return nil
    }
}

public struct EvdevError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    public var description: String {
        "input device \(path): \(String(cString: strerror(errno)))" + (errno == EACCES ? " (is the service user in group input?)" : "")
    }
}

/// Drops repeated presses of one trigger within a short window (a bouncing foot switch, a
/// clerk pressing twice) so one press starts one scan.
public struct Debouncer: Sendable {
    public var window: Duration
    private var last: [String: ContinuousClock.Instant] = [:]

    public init(window: Duration = .seconds(1)) { self.window = window }

    public mutating func accept(_ key: String, at now: ContinuousClock.Instant = .now) -> Bool {
        if let previous = last[key], now - previous < window { return false }
        last[key] = now
        return true
    }
}
