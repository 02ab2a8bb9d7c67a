import Foundation

/// Certificates the TLS tests make for themselves with the openssl command into a temporary
/// directory: a test CA and, signed by it, a good server certificate for 127.0.0.1 and localhost,
/// one for another host, an expired one (signed under `faketime` in 2020) and a client
/// certificate; beside them a self-signed server certificate and a self-signed client certificate
/// (from no authority the server trusts). EC P-256 keys, so making them takes well under a second.
struct TestPKI {
    struct Credential {
        let certificate: String
        let key: String
    }

    let directory: String
    /// The CA certificate, the file `ca_bundle` names.
    let caBundle: String
    let server: Credential
    let wrongHost: Credential
    let expired: Credential
    let selfSigned: Credential
    let client: Credential
    let strangerClient: Credential

    /// Makes everything in `directory` (created; removed with the test's temporary directory).
    static func make(in directory: String) throws -> TestPKI {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let maker = Maker(directory: directory)
        let ca = try maker.selfSigned("ca", subject: "/CN=Intake Test CA", extensions: [
            "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        return TestPKI(
            directory: directory,
            caBundle: ca.certificate,
            server: try maker.signed("server", by: ca, san: "IP:127.0.0.1,DNS:localhost", usage: "serverAuth"),
            wrongHost: try maker.signed("wrong-host", by: ca, san: "DNS:wrong.example.org", usage: "serverAuth"),
            expired: try maker.signed("expired", by: ca, san: "IP:127.0.0.1,DNS:localhost", usage: "serverAuth",
                                      days: 30, at: "2020-01-01"),
            selfSigned: try maker.selfSigned("self-signed", subject: "/CN=127.0.0.1", extensions: [
                "subjectAltName=IP:127.0.0.1,DNS:localhost", "extendedKeyUsage=serverAuth",
            ]),
            client: try maker.signed("client", by: ca, san: "DNS:intake-box", usage: "clientAuth"),
            strangerClient: try maker.selfSigned("stranger-client", subject: "/CN=intake-box", extensions: [
                "extendedKeyUsage=clientAuth",
            ])
        )
    }

    private struct Maker {
        let directory: String

        func selfSigned(_ name: String, subject: String, extensions: [String]) throws -> Credential {
            let credential = Credential(certificate: "\(directory)/\(name).pem", key: "\(directory)/\(name).key")
            try run(["openssl", "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-keyout", credential.key, "-out", credential.certificate, "-days", "2", "-subj", subject]
                    + extensions.flatMap { ["-addext", $0] })
            return credential
        }

        /// `at`: sign as if on that date (libfaketime), for a certificate that has already expired.
        func signed(_ name: String, by ca: Credential, san: String, usage: String, days: Int = 2, at date: String? = nil) throws -> Credential {
            let credential = Credential(certificate: "\(directory)/\(name).pem", key: "\(directory)/\(name).key")
            let request = "\(directory)/\(name).csr"
            let extensions = "\(directory)/\(name).ext"
            try run(["openssl", "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-keyout", credential.key, "-out", request, "-subj", "/CN=\(name)"])
            try "subjectAltName=\(san)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=\(usage)\n"
                .write(toFile: extensions, atomically: true, encoding: .utf8)
            let sign = ["openssl", "x509", "-req", "-in", request, "-CA", ca.certificate, "-CAkey", ca.key,
                        "-set_serial", String(UInt32.random(in: 1...UInt32.max)), "-days", String(days),
                        "-out", credential.certificate, "-extfile", extensions]
            try run(date.map { ["faketime", $0] + sign } ?? sign)
            return credential
        }

        private func run(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let log = directory + "/openssl.log"
            if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try handle.seekToEnd()
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            guard ChildProcess.wait(process, within: .seconds(30)) else {
                throw ReceiverFailure(description: "\(arguments.joined(separator: " ")) did not finish in 30 s")
            }
            try handle.close()
            guard process.terminationStatus == 0 else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ReceiverFailure(description: "\(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text.suffix(600))")
            }
        }
    }
}
