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
        let install = try Self.script(scripts + "/install.sh", [], environment, timeout: 900)
        guard install.status == 0 else { throw HarnessError("paperless-ngx install failed: \(install.output)") }
        _ = try Self.script(scripts + "/run.sh", ["reset"], environment, timeout: 120)
        let start = try Self.script(scripts + "/run.sh", ["start"], environment, timeout: 600)
        guard start.status == 0 else {
            _ = try? Self.script(scripts + "/run.sh", ["stop"], environment, timeout: 120)
            throw HarnessError("paperless-ngx did not start: \(start.output)")
        }
        guard (try? get("/api/documents/?page_size=1")) is [String: Any] else {
            throw HarnessError("paperless-ngx does not answer on port \(port): \(start.output)")
        }
    }

    func stop() {
        _ = try? Self.script(scripts + "/run.sh", ["stop"], environment, timeout: 120)
        // run.sh stops granian's main process, but its worker was found still serving the port
        // after the run (one per test run, ~145 MB each): it goes too.
        _ = try? Harness.run("/usr/bin/pkill", ["-KILL", "-f", "granian .*127.0.0.1:\(port) "])
    }

    /// Runs a script with posix_spawn and waitpid, output to a file: run.sh leaves daemons behind
    /// (setsid, redis --daemonize) and Foundation's Process was seen to miss its exit then.
    static func script(_ path: String, _ arguments: [String], _ environment: [String: String], timeout: TimeInterval) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "intake-paperless-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["/bin/bash", path] + arguments
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var cArgv = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgv + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArgv, &cEnv)
        guard spawned == 0 else { throw HarnessError("cannot start \(path): errno \(spawned)") }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done == -1 && errno == ECHILD { status = 0; break }  // reaped elsewhere: judged by its effect below
            if Date() > deadline { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0); break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
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
