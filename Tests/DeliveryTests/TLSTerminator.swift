import Foundation

/// stunnel (Debian's stunnel4) on 127.0.0.1 terminating TLS with a test certificate in front of a
/// plain-HTTP backend (the real intake-receiver); optionally requiring a client certificate from
/// the given CA, as a centre that authenticates boxes by certificate does.
final class TLSTerminator: @unchecked Sendable {
    let process: Process
    let port: Int
    let logPath: String

    init(certificate: TestPKI.Credential, backendPort: Int, requireClientCertificateFrom clientCA: String? = nil,
         directory: String) throws {
        let configPath = directory + "/stunnel-\(UUID().uuidString).conf"
        let log = configPath + ".log"
        let started = try ChildProcess.startConfigured(["stunnel4", configPath], configPath: configPath, output: log) { port in
            var config = """
                foreground = yes
                pid =
                syslog = no
                debug = info
                [centre]
                accept = 127.0.0.1:\(port)
                connect = 127.0.0.1:\(backendPort)
                cert = \(certificate.certificate)
                key = \(certificate.key)

                """
            if let clientCA {
                config += "CAfile = \(clientCA)\nverifyChain = yes\nrequireCert = yes\n"
            }
            return config
        }
        process = started.process
        port = started.port
        logPath = log
    }

    deinit { ChildProcess.stop(process) }

    var url: String { "https://127.0.0.1:\(port)" }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Bytes stunnel passed on to the backend over all connections so far, once each accepted
    /// connection has its closing line in the log (waits at most ten seconds for them); nil
    /// when they did not all close in time.
    func bytesPassedToBackend() -> Int? {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let lines = log.split(separator: "\n")
            let accepted = lines.filter { $0.contains("accepted connection from") }.count
            let closing = lines.filter { $0.contains("byte(s) sent to socket") }
            if closing.count >= accepted {
                return closing.reduce(0) { total, line in
                    // "... N byte(s) sent to TLS, M byte(s) sent to socket"
                    let words = line.split(separator: " ")
                    guard let index = words.lastIndex(of: "byte(s)"), index > 0, let count = Int(words[index - 1]) else { return total }
                    return total + count
                }
            }
            if ContinuousClock.now >= deadline { return nil }
            usleep(50_000)
        }
    }
}
