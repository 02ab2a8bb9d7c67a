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
        let handle = try ChildProcess.logHandle(log)
        let started = try ChildProcess.startListening("stunnel", log: log) { port in
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
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["stunnel4", configPath]
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return process
        }
        process = started.process
        port = started.port
        logPath = log
    }

    deinit { ChildProcess.stop(process) }

    var url: String { "https://127.0.0.1:\(port)" }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
