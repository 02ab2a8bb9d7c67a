import Foundation

/// Bounded waits for the helper servers the tests start (stunnel, tinyproxy, openssl).
enum ChildProcess {
    /// True when `process` ended within `limit`.
    static func wait(_ process: Process, within limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// SIGKILL: the helpers keep nothing worth a graceful stop (their logs are written as they
    /// go), and stunnel started from the test runner lets SIGTERM wait for five seconds.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = wait(process, within: .seconds(5))
    }

    /// A file to take a helper's stdout and stderr.
    static func logHandle(_ path: String) throws -> FileHandle {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
}

extension ChildProcess {
    /// Starts a server that must be told its port: each attempt on a fresh free port, ready when
    /// it accepts connections and is still running within ten seconds; three attempts.
    static func startListening(_ name: String, log: String, launch: (Int) throws -> Process) throws -> (process: Process, port: Int) {
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let process = try launch(port)
            let deadline = ContinuousClock.now + .seconds(10)
            while process.isRunning && ContinuousClock.now < deadline {
                if LoopbackPort.accepts(port) {
                    usleep(50_000)
                    if process.isRunning { return (process, port) }
                    break
                }
                usleep(20_000)
            }
            stop(process)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw ReceiverFailure(description: "\(name) did not start listening on 127.0.0.1: \(text.suffix(800))")
    }

    /// Starts `/usr/bin/env arguments…` as a listening helper: for each port tried, writes the
    /// configuration `configure(port)` to `configPath`, sends the helper's stdout and stderr to
    /// `output`, and waits as `startListening` does.
    static func startConfigured(
        _ arguments: [String], configPath: String, output: String, configure: (Int) -> String
    ) throws -> (process: Process, port: Int) {
        let handle = try logHandle(output)
        return try startListening(arguments[0], log: output) { port in
            try configure(port).write(toFile: configPath, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return process
        }
    }
}
