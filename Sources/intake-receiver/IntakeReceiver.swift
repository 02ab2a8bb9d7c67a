import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The reference central system for the demo and the tests.
@main
struct IntakeReceiver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake-receiver",
        abstract: "A reference central document system that accepts uploads from intake.",
        discussion: """
            Accepts POST /documents (multipart: metadata JSON + PDF file, Bearer token, Idempotency-Key),
            lists what it holds at GET /documents, and can play faults for testing.
            Numbering authority: grants blocks of số đến (POST /leases), numbers electronic
            arrivals (POST /arrivals) and confirms provisional numbers (POST /confirmations).
            With --port 0 it picks a free port; the first line on stdout is always
            "listening on http://HOST:PORT".

            Example:
              intake-receiver --port 8080 --store /var/lib/intake-receiver --token-file /etc/intake/receiver.token
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: "Directory holding received documents and the index.") var store: String
    @Option(help: "File holding the bearer token clients must send.") var tokenFile: String?
    @Option(help: "The bearer token clients must send.") var token: String?
    @Option(help: "Largest accepted upload, in MiB.") var maxBodyMb = 64

    @Option(help: "Fail the next N document requests.") var failNext: Int?
    @Option(help: "Status of injected failures (default 503).") var failStatus: Int?
    @Option(help: "Retry-After sent with injected failures.") var retryAfter: String?
    @Option(help: "Delay every document answer by this many milliseconds.") var delayMs: Int?
    @Option(help: "Close the connection mid-body for the next N document requests.") var resetNext: Int?
    @Option(help: "Answer 200 with junk for the next N document requests.") var garbageNext: Int?
    @Option(help: "Answer with an oversized body for the next N document requests.") var oversizedNext: Int?
    @Option(help: "Fail this fraction (0…1) of document requests with 503.") var failureRate: Double?
    @Option(help: "Seed for --failure-rate.") var seed: UInt64?

    func validate() throws {
        if tokenFile != nil && token != nil {
            throw ValidationError("give either --token-file or --token, not both")
        }
        if let failureRate, !(0...1).contains(failureRate) {
            throw ValidationError("--failure-rate must be between 0 and 1, e.g. --failure-rate 0.2")
        }
    }

    func run() async throws {
        var secret = token
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("cannot read the token file \(tokenFile)")
            }
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if secret == nil {
            FileHandle.standardError.write(Data("intake-receiver: warning: no token configured; accepting every client\n".utf8))
        }
        let faults = FaultSettings(
            failNext: failNext, failStatus: failStatus, retryAfter: retryAfter, failMessage: nil, delayMs: delayMs,
            resetNext: resetNext, garbageNext: garbageNext, oversizedNext: oversizedNext, oversizedBytes: nil,
            failureRate: failureRate, seed: seed)
        let server = ReceiverServer(
            token: secret, store: try DocumentStore(root: store), numbering: try NumberingAuthority(root: store), faults: FaultInjector(faults),
            maxBodyBytes: maxBodyMb * 1024 * 1024)
        var logger = Logger(label: "intake-receiver") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let host = self.host
        let app = Application(
            router: server.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "intake-receiver"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(bound)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}
