import Foundation

/// tinyproxy (Debian's) on 127.0.0.1 as the HTTP proxy a box is told to use; it tunnels HTTPS with
/// CONNECT to the one port it allows, refuses (403) the others, and logs every request.
final class ConnectProxy: @unchecked Sendable {
    let process: Process
    let port: Int
    let logPath: String

    init(allowingConnectTo allowedPort: Int, directory: String) throws {
        let name = directory + "/tinyproxy-\(UUID().uuidString)"
        let log = name + ".log"
        let started = try ChildProcess.startConfigured(
            ["tinyproxy", "-d", "-c", name + ".conf"], configPath: name + ".conf", output: name + ".out"
        ) { port in
            """
            Port \(port)
            Listen 127.0.0.1
            Timeout 30
            MaxClients 20
            LogFile "\(log)"
            LogLevel Connect
            PidFile "\(name).pid"
            ConnectPort \(allowedPort)

            """
        }
        process = started.process
        port = started.port
        logPath = log
    }

    deinit { ChildProcess.stop(process) }

    var url: String { "http://127.0.0.1:\(port)" }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The proxy was asked to tunnel to 127.0.0.1:`port`.
    func sawConnect(toPort port: Int) -> Bool {
        log.contains("CONNECT 127.0.0.1:\(port) ")
    }
}
