import Foundation
import Testing

/// Every whole-system test runs inside this suite, one at a time: each starts real processes
/// and waits on them, and two cores cannot run several such worlds side by side with the unit
/// tests without starving them.
@Suite(.serialized) enum SystemSuite {}

/// Runs the real binaries the package builds (`intake`, `intake-receiver`) the way a
/// technician would, with SANE pointed at a configuration made by the test.
enum Harness {
    /// The directory holding the built products (beside the test bundle).
    static let binDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: url.appendingPathComponent("intake").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    static var intake: String { binDirectory.appendingPathComponent("intake").path }
    static var receiver: String { binDirectory.appendingPathComponent("intake-receiver").path }
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion (killed after `timeout`).
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: TimeInterval = 120) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = Reader(out.fileHandleForReading), errData = Reader(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData.text(), stderr: errData.text())
    }

    /// Drains a pipe on a background thread so a chatty child never blocks.
    final class Reader: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.withLock { data.append(chunk) }
                }
                done.signal()
            }
        }
        func text() -> String {
            _ = done.wait(timeout: .now() + 5)
            return lock.withLock { String(decoding: data, as: UTF8.self) }
        }
        func snapshot() -> String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}

/// A scratch world for one test: SANE config, state directory, token, configuration file.
final class World: @unchecked Sendable {
    let root: String
    var environment: [String: String]
    let token = "system-test-token-\(UUID().uuidString.prefix(8))"

    init() throws {
        root = NSTemporaryDirectory() + "intake-sys-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: root + "/sane", withIntermediateDirectories: true)
        try "test\npnm\n".write(toFile: root + "/sane/dll.conf", atomically: true, encoding: .utf8)
        environment = ["SANE_CONFIG_DIR": root + "/sane", "JOURNAL_STREAM": ""]
        _ = FileManager.default.createFile(atPath: root + "/token", contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var configPath: String { root + "/intake.toml" }
    var socket: String { root + "/intake.sock" }

    /// The world's configuration from the one template (Tests/Fixtures/world/, which the
    /// reliability scripts fill in too). `network` and `holdSeconds` go to the top and to
    /// [release]; tests other than the secrecy ones want documents to leave at once, so the hold
    /// window defaults to 0. `profile` adds lines to the default profile, `extra` whole tables.
    /// `ocr` is the body of [ocr]: off unless a test turns it on (the built `intake` has
    /// intake-ocr beside it, which would turn it on).
    func writeConfig(port: Int?, extra: String = "", profile: String = "", network: String = "internet",
                     holdSeconds: Double = 0, organisationName: String = "Văn phòng thử nghiệm", pageMM: Int = 100,
                     totalTimeoutSeconds: Int = 10, stateDirectory: String? = nil, to path: String? = nil,
                     ocr: String = "enabled = false") throws {
        var values = [
            "ORGANISATION_NAME": organisationName, "NETWORK": network, "HOLD_SECONDS": "\(holdSeconds)",
            "STATE_DIR": stateDirectory ?? root + "/state", "SOCKET": socket, "PAGE_MM": "\(pageMM)",
            "PROFILE": profile, "MIN_FREE_MB": "10", "OCR": ocr,
        ]
        var text = try Self.template("intake.toml", values) + "\n"
        if let port {
            values["PORT"] = "\(port)"
            values["TOKEN_FILE"] = root + "/token"
            values["TOTAL_TIMEOUT"] = "\(totalTimeoutSeconds)"
            text += try Self.template("target.toml", values) + "\n"
        }
        text += extra
        try text.write(toFile: path ?? configPath, atomically: true, encoding: .utf8)
    }

    /// Tests/Fixtures/world/`name` with every `${NAME}` replaced; an unknown name is an error.
    static func template(_ name: String, _ values: [String: String]) throws -> String {
        let path = Harness.repository.appendingPathComponent("Tests/Fixtures/world/" + name).path
        var text = try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        for (key, value) in values { text = text.replacingOccurrences(of: "${\(key)}", with: value) }
        if let range = text.range(of: "${") {
            throw HarnessError("\(name): no value for \(text[range.lowerBound...].prefix(40))")
        }
        return text
    }

    @discardableResult
    func intake(_ arguments: [String], timeout: TimeInterval = 120) throws -> Harness.Output {
        try Harness.run(Harness.intake, arguments, environment: environment, timeout: timeout)
    }

    /// `intake <arguments> --config <file>` (the config flag goes after the subcommand path).
    @discardableResult
    func intakeWithConfig(_ arguments: [String], timeout: TimeInterval = 120) throws -> Harness.Output {
        try intake(arguments + ["--config", configPath], timeout: timeout)
    }
}

/// A background child process (daemon or receiver), killed when released — and, whatever holds
/// on to it, when the test process exits: a daemon left behind by one run outlived the run on
/// this machine (found orphaned an hour later).
final class Child: @unchecked Sendable {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var running = Set<Int32>()
    private static let killAtExit: Void = {
        atexit {
            Child.lock.lock()
            for pid in Child.running { kill(pid, SIGKILL) }
            Child.lock.unlock()
        }
    }()

    let process = Process()
    let stdout: Harness.Reader
    let stderr: Harness.Reader

    init(_ program: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        stdout = Harness.Reader(out.fileHandleForReading)
        stderr = Harness.Reader(err.fileHandleForReading)
        Self.killAtExit
        let pid = process.processIdentifier
        Self.lock.withLock { _ = Self.running.insert(pid) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        Self.lock.withLock { _ = Self.running.remove(process.processIdentifier) }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the child to exit; nil if it is still running at the deadline.
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// The reference receiver on 127.0.0.1 with a persistent store.
final class Receiver: @unchecked Sendable {
    let child: Child
    let port: Int
    let token: String

    init(world: World, port: Int = 0, extra: [String] = []) throws {
        token = world.token
        child = try Child(Harness.receiver, ["--host", "127.0.0.1", "--port", "\(port)", "--store", world.root + "/receiver",
                                            "--token-file", world.root + "/token"] + extra, environment: [:])
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline {
            if let match = child.stdout.snapshot().firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/) { found = Int(match.1) }
            else { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else { throw HarnessError("receiver did not start: \(child.stderr.snapshot())") }
        self.port = found
    }

    func stop() {
        child.signal(SIGTERM)
        if child.wait(timeout: 10) == nil { child.signal(SIGKILL); _ = child.wait(timeout: 5) }
    }

    /// How many POST /documents the receiver has begun to read (GET /admin/stats): the first
    /// is counted as its body starts to arrive, so "an upload is in flight" can be waited for.
    func documentPosts() throws -> Int {
        let output = try Harness.run("/usr/bin/curl", ["-s", "--max-time", "5", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/admin/stats"])
        struct Stats: Decodable { var documentPosts: Int }
        return try JSONDecoder().decode(Stats.self, from: Data(output.stdout.utf8)).documentPosts
    }

    /// What the centre holds: GET /documents.
    func documents() throws -> [[String: Any]] {
        let output = try Harness.run("/usr/bin/curl", ["-s", "--max-time", "5", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/documents"])
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        if let array = json as? [[String: Any]] { return array }
        if let object = json as? [String: Any], let array = object["documents"] as? [[String: Any]] { return array }
        throw HarnessError("unexpected /documents reply: \(output.stdout)")
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// Polls until `condition` holds or the time is up.
func eventually(timeout: TimeInterval = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.1)
    }
    return try condition()
}

/// One row of `intake queue list --json`, decoded with its types (numbers are numbers).
struct QueueRow: Decodable, CustomStringConvertible {
    var id: String
    var target: String
    var state: String
    var attempts: Int
    var book: String
    var year: Int
    var number: Int
    var urgency: String
    var lastError: String
    var lastStatus: Int?
    var heldReason: String
    var receipt: String

    var description: String { "\(book)/\(year)/\(number) \(state) after \(attempts) attempt(s) \(lastError.prefix(120))" }
}

extension World {
    /// No outbox entry waits for another attempt: each is delivered, held, needs attention or
    /// corrupt. From then on the daemon sends nothing more, so a negative check ("never reached
    /// the centre") holds without sleeping.
    func queueSettled() throws -> Bool {
        try queue().allSatisfy { $0.state != "pending" }
    }

    /// `intake queue list --json` (with `--all`: delivered entries too).
    func queue(all: Bool = true) throws -> [QueueRow] {
        let output = try intakeWithConfig(["queue", "list", "--json"] + (all ? ["--all"] : []))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode([QueueRow].self, from: Data(output.stdout.utf8))
        } catch {
            throw HarnessError("queue list --json: \(error)\n\(output.stdout)\(output.stderr)")
        }
    }
}
