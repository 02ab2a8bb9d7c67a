import Foundation

/// The real paperless-ngx 2.20.15 kept in third_party/paperless-ngx, installed under
/// $INTAKE_PAPERLESS_ROOT (default $TMPDIR/intake-paperless-ngx, where scripts/setup.sh puts it)
/// and started on free loopback ports with a fresh state.
final class PaperlessServer: @unchecked Sendable {
    let port: Int
    let redisPort: Int
    let token = "0123456789abcdef0123456789abcdef01234567"
    let environment: [String: String]
    private let scripts: String

    static var root: String {
        ProcessInfo.processInfo.environment["INTAKE_PAPERLESS_ROOT"]
            ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/intake-paperless-ngx"
    }

    init() throws {
        scripts = Harness.repository.appendingPathComponent("third_party/paperless-ngx").path
        port = Self.freePort()
        redisPort = Self.freePort()
        environment = ["PL_ROOT": Self.root, "PL_PORT": String(port), "PL_REDIS_PORT": String(redisPort), "PL_TOKEN": token]
        let install = try Harness.run("/bin/bash", [scripts + "/install.sh"], environment: environment, timeout: 900)
        guard install.status == 0 else { throw HarnessError("paperless-ngx install failed: \(install.stdout)\(install.stderr)") }
        _ = try Harness.run("/bin/bash", [scripts + "/run.sh", "reset"], environment: environment, timeout: 60)
        let start = try Harness.run("/bin/bash", [scripts + "/run.sh", "start"], environment: environment, timeout: 600)
        guard start.status == 0 else {
            _ = try? Harness.run("/bin/bash", [scripts + "/run.sh", "stop"], environment: environment, timeout: 60)
            throw HarnessError("paperless-ngx did not start: \(start.stdout)\(start.stderr)")
        }
    }

    func stop() {
        _ = try? Harness.run("/bin/bash", [scripts + "/run.sh", "stop"], environment: environment, timeout: 60)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// GET an API path; the decoded JSON.
    func get(_ path: String) throws -> Any {
        let output = try Harness.run("/usr/bin/curl", ["-sS", "--max-time", "20", "-H", "Authorization: Token \(token)",
                                                       "-H", "Accept: application/json; version=9", url + path])
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }

    func results(_ path: String) throws -> [[String: Any]] {
        ((try get(path) as? [String: Any])?["results"] as? [[String: Any]]) ?? []
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
