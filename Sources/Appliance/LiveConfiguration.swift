import Foundation
public import Logging

/// The daemon's configuration while it runs, replaced as a whole by a reload (SIGHUP).
///
/// A scan in progress keeps the `ScanService` it started with; the next scan, button poll,
/// hook or retention sweep sees the new one. Settings bound to resources opened at start (the
/// scanner device, the socket, the state directory, the register's identity, delivery targets,
/// key readers and the status console) keep their running values: the journal says a restart
/// is needed for them.
public final class LiveConfiguration: @unchecked Sendable {
    private let lock = NSLock()
    private var _context: ApplianceContext
    private var _service: ScanService
    private var _hooks: HookRunner
    private let logger: Logger

    public init(context: ApplianceContext, logger: Logger) {
        _context = context
        _service = ScanService(context: context, logger: logger)
        _hooks = HookRunner(hooks: context.configuration.hooks, logger: logger)
        self.logger = logger
    }

    public var context: ApplianceContext { lock.withLock { _context } }
    public var service: ScanService { lock.withLock { _service } }
    public var hooks: HookRunner { lock.withLock { _hooks } }

    /// What a reload did.
    public enum Outcome: Sendable, Equatable {
        /// Applied; the keys whose change waits for a restart, if any.
        case applied(changed: [String], needsRestart: [String])
        /// The file is invalid (or unreadable); the running configuration stays.
        case refused(problems: [String])
    }

    /// Reads the configuration file again; applies it only if it is valid. Logs what happened.
    @discardableResult
    public func reload() -> Outcome {
        let old = context.configuration
        guard let path = old.sourcePath else {
            logger.error("configuration reload refused: the daemon was not started from a file")
            return .refused(problems: ["no configuration file"])
        }
        let loaded: Configuration
        do {
            loaded = try ConfigurationLoader.load(path: path)
        } catch {
            let problems = error.issues.map(\.description)
            logger.error("configuration reload refused; the running configuration stays (fix the file, then reload again)",
                         metadata: ["file": "\(path)", "problems": "\(problems.count)"])
            for problem in problems { logger.error("config: \(problem)") }
            return .refused(problems: problems)
        }
        let (merged, changed, restart) = Self.merge(running: old, loaded: loaded)
        lock.withLock {
            _context.configuration = merged
            _service = ScanService(context: _context, logger: logger)
            _hooks = HookRunner(hooks: merged.hooks, logger: logger)
        }
        logger.notice("configuration reloaded", metadata: [
            "file": "\(path)", "changed": "\(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))",
        ])
        if !restart.isEmpty {
            logger.warning("some changes take effect only after `systemctl restart intake`",
                           metadata: ["keys": "\(restart.joined(separator: ", "))"])
        }
        return .applied(changed: changed, needsRestart: restart)
    }

    /// The running configuration with the reloadable parts of `loaded`; the names of the
    /// sections that changed and of those that wait for a restart.
    static func merge(running old: Configuration, loaded: Configuration) -> (Configuration, [String], [String]) {
        var merged = loaded
        var changed: [String] = []
        var restart: [String] = []
        func keep<T: Equatable>(_ name: String, _ keyPath: WritableKeyPath<Configuration, T>) {
            if loaded[keyPath: keyPath] != old[keyPath: keyPath] { restart.append(name) }
            merged[keyPath: keyPath] = old[keyPath: keyPath]
        }
        func note<T: Equatable>(_ name: String, _ keyPath: KeyPath<Configuration, T>) {
            if loaded[keyPath: keyPath] != old[keyPath: keyPath] { changed.append(name) }
        }
        keep("organisation_code", \.organisationCode)
        keep("paths", \.paths)
        keep("books", \.books)
        keep("device", \.device)
        keep("targets", \.targets)
        keep("feedback", \.feedback)
        keep("retry", \.retry)
        let oldKeys = old.triggers.filter { $0.kind == .key }
        let newKeys = loaded.triggers.filter { $0.kind == .key }
        if oldKeys != newKeys {
            restart.append("triggers (kind = \"key\")")
            merged.triggers = loaded.triggers.filter { $0.kind != .key } + oldKeys
        }
        note("organisation_name", \.organisationName)
        note("profiles", \.profiles)
        if loaded.triggers.filter({ $0.kind == .button }) != old.triggers.filter({ $0.kind == .button }) {
            changed.append("triggers (kind = \"button\")")
        }
        note("hooks", \.hooks)
        note("disk", \.disk)
        note("backup", \.backup)
        note("retention", \.retention)
        note("ocr", \.ocr)
        merged.sourcePath = old.sourcePath
        return (merged, changed, restart)
    }
}
