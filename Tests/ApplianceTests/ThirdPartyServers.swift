import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built products and the repository, for tests that run the real `intake` binary and the
/// third-party servers kept in the repository.
enum Products {
    static let binDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: url.appendingPathComponent("intake").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    static var intake: String { binDirectory.appendingPathComponent("intake").path }
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs a program to completion (killed after `timeout`); returns its status and output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = NSTemporaryDirectory() + "intake-run-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close(); try? FileManager.default.removeItem(atPath: log) }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    /// A TCP port nobody listens on right now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = LinkResettingProxy.loopback(port: 0)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: actual.sin_port))
    }

    /// True once something accepts connections on 127.0.0.1:`port` (waits at most `timeout`).
    static func waitForPort(_ port: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = LinkResettingProxy.loopback(port: port)
            let ok = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
            close(fd)
            if ok { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}

/// A real tus 1.0.0 server (tuspyserver under uvicorn, scripts/tus) on 127.0.0.1.
final class TusServer: @unchecked Sendable {
    let port: Int
    let files: String
    private let process = Process()

    init(root: String) throws {
        let script = Products.repository.appendingPathComponent("scripts/tus/tus-server.sh").path
        let install = try Products.run("/bin/bash", [script, "install"], timeout: 600)
        guard install.status == 0 else { throw TestFailure("tus server install failed: \(install.output)") }
        files = root + "/tus-files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        port = Products.freePort()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, "run", String(port), files]
        process.standardInput = FileHandle.nullDevice
        let logPath = ProcessInfo.processInfo.environment["INTAKE_TUS_JOURNAL"].map { $0 + ".server" } ?? root + "/tus.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        guard Products.waitForPort(port, timeout: 60) else { throw TestFailure("the tus server did not start on port \(port)") }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// One line per finished upload: (server file, metadata).
    func completed() -> [(path: String, metadata: [String: String])] {
        guard let text = try? String(contentsOfFile: files + "/completed.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                  let path = object["path"] as? String, let metadata = object["metadata"] as? [String: String] else { return nil }
            return (path, metadata)
        }
    }

    /// Every upload the server knows: id → (offset, size).
    func uploads() -> [String: (offset: Int, size: Int)] {
        var result: [String: (Int, Int)] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: files)) ?? [] where name.hasSuffix(".info") {
            guard let data = FileManager.default.contents(atPath: files + "/" + name),
                  let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { continue }
            result[String(name.dropLast(5))] = ((object["offset"] as? Int) ?? 0, (object["size"] as? Int) ?? 0)
        }
        return result
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
