import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 that plays a bad mobile link: it forwards to `upstreamPort` and
/// resets every connection (RST, as a dropped 3G link does) each time `resetEvery` more bytes
/// have gone from the client to the server. It counts every byte the client sent.
final class LinkResettingProxy: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int
    private let resetEvery: Int
    private let listener: Int32
    private let lock = NSLock()
    private var _bytesUp = 0
    private var sinceReset = 0
    private var _resets = 0
    private var stopped = false

    var bytesUp: Int { lock.withLock { _bytesUp } }
    var resets: Int { lock.withLock { _resets } }

    init(upstreamPort: Int, resetEvery: Int) throws {
        self.upstreamPort = upstreamPort
        self.resetEvery = resetEvery
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    func stop() {
        let first = lock.withLock { () -> Bool in defer { stopped = true }; return !stopped }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard connected == 0 else { close(client); close(upstream); continue }
            let pair = Pair(client: client, upstream: upstream)
            Thread.detachNewThread { [self] in pump(from: client, to: upstream, pair: pair, counted: true) }
            Thread.detachNewThread { [self] in pump(from: upstream, to: client, pair: pair, counted: false) }
        }
    }

    /// Both ends of one proxied connection, closed once by whichever pump ends first.
    final class Pair: @unchecked Sendable {
        let client: Int32, upstream: Int32
        private let lock = NSLock()
        private var closed = false
        init(client: Int32, upstream: Int32) { self.client = client; self.upstream = upstream }

        func close(reset: Bool) {
            let first = lock.withLock { () -> Bool in defer { closed = true }; return !closed }
            guard first else { return }
            for fd in [client, upstream] {
                if reset {
                    // A dropped link: RST to both ends. SO_LINGER 0 makes close() send RST; SHUT_RD
                    // wakes the other pump's recv without sending a FIN (a FIN would be a clean close).
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    shutdown(fd, Int32(SHUT_RD))
                } else {
                    shutdown(fd, Int32(SHUT_RDWR))  // one side closed: pass the FIN on
                }
            }
            // Close once the other pump has left recv, so the last reference goes and the RST leaves.
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { [client, upstream] in
                Glibc.close(client)
                Glibc.close(upstream)
            }
        }
    }

    private func pump(from source: Int32, to destination: Int32, pair: Pair, counted: Bool) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if n <= 0 { pair.close(reset: false); return }
            var length = n
            var reset = false
            if counted {
                lock.withLock {
                    let room = resetEvery - sinceReset
                    if n >= room {
                        length = room  // forward up to the reset point, then drop the link
                        reset = true
                        sinceReset = 0
                        _resets += 1
                    } else {
                        sinceReset += n
                    }
                    _bytesUp += length
                }
            }
            var sent = 0
            while sent < length {
                let m = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, length - sent, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { pair.close(reset: false); return }
                sent += m
            }
            if reset { pair.close(reset: true); return }
        }
    }
}
