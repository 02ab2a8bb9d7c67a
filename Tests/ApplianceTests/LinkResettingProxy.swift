import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 that plays a bad mobile link (scripts/tus/reset_proxy.py): it
/// forwards to `upstreamPort` and resets every connection (RST to both ends) each time
/// `resetEvery` more bytes have gone from the client to the server; it counts those bytes.
final class LinkResettingProxy: @unchecked Sendable {
    let port: Int
    private let process = Process()
    private let stats: String

    init(upstreamPort: Int, resetEvery: Int, root: String) throws {
        stats = root + "/proxy-stats"
        let script = Products.repository.appendingPathComponent("scripts/tus/reset_proxy.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(upstreamPort), String(resetEvery), stats]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("the link-resetting proxy did not start")
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private var numbers: [Int] {
        let text = (try? String(contentsOfFile: stats, encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Bytes the client sent towards the server (forwarded).
    var bytesUp: Int { numbers.first ?? 0 }
    var resets: Int { numbers.count > 1 ? numbers[1] : 0 }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
