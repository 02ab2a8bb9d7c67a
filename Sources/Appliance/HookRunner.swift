import Foundation
public import Logging

/// Runs configured hooks on events: the program is started directly with its argument list
/// (never through a shell), with INTAKE_* environment variables; `{name}` placeholders in an
/// argument are replaced by the same values.
public struct HookRunner: Sendable {
    public var hooks: [Configuration.Hook]
    private let logger: Logger

    public init(hooks: [Configuration.Hook], logger: Logger) {
        self.hooks = hooks
        self.logger = logger
    }

    /// Starts every hook for `event` and returns at once; each is killed after its timeout.
    public func fire(_ event: Configuration.HookEvent, values: [String: String]) {
        for hook in hooks where hook.event == event {
            let argv = Self.expand(hook.argv, values: values)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: argv[0])
            process.arguments = Array(argv.dropFirst())
            var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "INTAKE_EVENT": event.rawValue]
            for (key, value) in values { environment["INTAKE_" + key.uppercased()] = value }
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let logger = self.logger
            process.terminationHandler = { finished in
                if finished.terminationStatus != 0 {
                    logger.warning("hook exited with an error", metadata: ["event": "\(event.rawValue)", "program": "\(argv[0])", "status": "\(finished.terminationStatus)"])
                }
            }
            do {
                try process.run()
                let timeout = hook.timeout
                Task.detached {
                    try? await Task.sleep(for: timeout)
                    if process.isRunning {
                        logger.warning("hook timed out and was stopped", metadata: ["program": "\(argv[0])"])
                        process.terminate()
                    }
                }
            } catch {
                logger.error("hook could not start", metadata: ["event": "\(event.rawValue)", "program": "\(argv[0])", "error": "\(error)"])
            }
        }
    }

    static func expand(_ argv: [String], values: [String: String]) -> [String] {
        argv.map { argument in
            var result = argument
            for (key, value) in values { result = result.replacingOccurrences(of: "{\(key)}", with: value) }
            return result
        }
    }
}
