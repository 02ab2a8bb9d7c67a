import IntakeCore
public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connected Unix stream socket carrying newline-delimited JSON; owns its descriptor.
public final class UnixConnection: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let lock = NSLock()

    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Connects to a daemon's socket; throws ControlError.daemonNotRunning if nobody listens.
    public static func connect(path: String) throws -> UnixConnection {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlError.system("socket", errno) }
        let connection = UnixConnection(fd: fd)
        let result = try withSocketAddress(path) { address, length in Glibc.connect(fd, address, length) }
        guard result == 0 else {
            let code = errno
            if code == ENOENT || code == ECONNREFUSED { throw ControlError.daemonNotRunning(path) }
            if code == EACCES { throw ControlError.permissionDenied(path) }
            throw ControlError.system("connect \(path)", code)
        }
        return connection
    }

    /// Bounds every later `receive` and `send`: a peer that says nothing (or reads nothing) for
    /// this long gets `ControlError.timeout` instead of holding a thread forever.
    public func setTimeout(_ timeout: Duration) {
        self.timeoutSeconds = max(1, Int(timeout.components.seconds))
        var value = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private var timeoutSeconds = 0

    public func send<T: Encodable>(_ value: T) throws {
        var data = try JSONEncoder.control.encode(value)
        data.append(UInt8(ascii: "\n"))
        try sendRaw(Array(data))
    }

    /// Sends bytes as they are (tests use it to send what a hostile client would).
    public func sendRaw(_ data: [UInt8]) throws {
        try lock.withLock {
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n < 0 {
                        if errno == EINTR { continue }
                        if errno == EAGAIN || errno == EWOULDBLOCK { throw ControlError.timeout(timeoutSeconds) }
                        throw ControlError.system("send", errno)
                    }
                    offset += n
                }
            }
        }
    }

    /// The longest request or reply line a peer may send.
    static let messageLimit = 1 << 20

    /// The next JSON line, or nil at end of stream.
    public func receive<T: Decodable>(_ type: T.Type) throws -> T? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return try JSONDecoder.control.decode(T.self, from: line)
            }
            guard try fill(waiting: true) else { return nil }
        }
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// The descriptor, for poll().
    var descriptor: Int32 { fd }

    /// Whether a whole line has arrived (`receive` then answers without waiting).
    var hasLine: Bool { buffer.contains(UInt8(ascii: "\n")) }

    /// Takes in what has arrived, without waiting (after poll() said the socket is readable);
    /// false at end of stream.
    func readAvailable() throws -> Bool { try fill(waiting: false) }

    /// Reads one chunk into the buffer; false at end of stream. Waiting, a silent peer gets
    /// `ControlError.timeout` after the timeout; not waiting, nothing to read is no error.
    private func fill(waiting: Bool) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, waiting ? 0 : Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    if waiting { throw ControlError.timeout(timeoutSeconds) }
                    return true
                }
                throw ControlError.system("recv", errno)
            }
            if n == 0 { return false }
            guard buffer.count + n < Self.messageLimit else { throw ControlError.protocolViolation("message longer than 1 MiB") }
            buffer.append(contentsOf: chunk[..<n])
            return true
        }
    }
}

/// A listening Unix socket with group-restricted permissions (0660).
public final class UnixListener: @unchecked Sendable {
    private let fd: Int32
    public let path: String

    public init(path: String, mode: mode_t = 0o660) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A socket left by a killed daemon: remove it only if it is a socket and nobody answers
        // on it. Anything else at that path (a register file, a directory) is never removed.
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                throw ControlError(code: .system, message: "The control socket's path is taken by another file; nothing was removed.",
                                   detail: "\(path) exists and is not a socket; set paths.socket to a free path such as /run/intake/intake.sock")
            }
            if (try? UnixConnection.connect(path: path)) != nil { throw ControlError.alreadyRunning(path) }
            unlink(path)
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlError.system("socket", errno) }
        self.path = path
        // Bound and listening under a temporary name first, then renamed into place: whoever
        // sees the socket file can connect at once.
        let temporary = path + ".\(getpid()).new"
        unlink(temporary)
        let bound = try withSocketAddress(temporary) { address, length in bind(fd, address, length) }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw ControlError.system("bind \(temporary)", code)
        }
        chmod(temporary, mode)
        guard listen(fd, 16) == 0, rename(temporary, path) == 0 else {
            let code = errno
            close(fd)
            unlink(temporary)
            throw ControlError.system("listen \(path)", code)
        }
    }

    deinit {
        close(fd)
    }

    public enum Accepted {
        case connection(UnixConnection)
        /// Nobody connected within the wait; the caller may do its housekeeping and ask again.
        case idle
        /// accept() failed in a way that passes (EMFILE, ENFILE, ENOBUFS, ENOMEM, …): back off and retry.
        case failed(errno: Int32)
        /// The listener was shut down.
        case closed
    }

    /// The listening descriptor, for poll().
    var descriptor: Int32 { fd }

    /// Waits up to `wait` for a client. Errors never end the loop silently: a transient one is
    /// returned for the caller to log and back off from; only a shut-down listener is `closed`.
    public func accept(wait: Duration) -> Accepted {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000))
        if ready == 0 { return .idle }
        if ready < 0 { return errno == EINTR ? .idle : .failed(errno: errno) }
        if pfd.revents & Int16(POLLNVAL) != 0 { return .closed }
        return acceptReady()
    }

    /// Takes the client poll() said is waiting.
    func acceptReady() -> Accepted {
        let client = Glibc.accept(fd, nil, nil)
        if client >= 0 {
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            return .connection(UnixConnection(fd: client))
        }
        switch errno {
        case EINTR, ECONNABORTED, EAGAIN: return .idle
        case EBADF, EINVAL, ENOTSOCK: return .closed
        default: return .failed(errno: errno)
        }
    }

    /// Stops accept() and removes the socket file.
    public func shutdown() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        unlink(path)
    }
}

private func withSocketAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) throws -> R {
    guard let result = UnixSocketAddress.with(path, body) else {
        throw ControlError.protocolViolation("socket path too long: \(path)")
    }
    return result
}

extension JSONEncoder {
    static var control: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var control: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
