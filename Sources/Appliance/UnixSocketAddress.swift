#if canImport(Glibc)
import Glibc
#endif

/// The one place a `sockaddr_un` is filled: the control socket's connect and bind, and the
/// sd_notify datagram.
enum UnixSocketAddress {
    /// Calls `body` with the address of `path` and its length; nil when the path does not fit
    /// in `sun_path`. With `abstractNamespace`, a leading "@" names Linux's abstract namespace
    /// (as systemd's $NOTIFY_SOCKET may), and the length counts only the name's bytes.
    static func with<R>(
        _ path: String, abstractNamespace: Bool = false, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) -> R? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = abstractNamespace && bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = abstract
            ? socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
            : socklen_t(MemoryLayout<sockaddr_un>.size)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
