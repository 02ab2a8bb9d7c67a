import Foundation
import Delivery
import IntakeCore
import Registry
import Scanning
import PagePipeline

/// `intake doctor`: every check the box needs, one pass/fail line each, with the fix. Lives here
/// (the CLI only renders it). Fails closed: a daemon that is not running, a state directory that
/// cannot be written, a register that refuses to number are failures, not "not applicable".
public enum Doctor {
    public struct Check: Sendable, Equatable {
        public var name: String
        public var ok: Bool
        public var detail: String
        public var fix: String?

        public init(name: String, ok: Bool, detail: String, fix: String? = nil) {
            self.name = name
            self.ok = ok
            self.detail = detail
            self.fix = fix
        }
    }

    /// Runs every check. `status` is the daemon's answer, or the error asking it gave.
    public static func run(_ configuration: Configuration, configPath: String, daemon: Result<StatusReport, any Error>,
                           buildYear: Int, saneConfigDirectory: String) async -> [Check] {
        var checks = [Check(name: "config", ok: true, detail: "\(configPath) is valid")]
        checks.append(sane(saneConfigDirectory))
        switch daemon {
        case .success(let report):
            if let d = report.daemon {
                checks.append(Check(name: "daemon", ok: true, detail: "running, pid \(d.pid), \(d.state)"))
                checks.append(Check(name: "scanner", ok: d.deviceState == .connected,
                                    detail: "\(d.deviceState)\(d.device.map { " (\($0))" } ?? "")\(d.lastError.map { ": \($0)" } ?? "")",
                                    fix: "check the USB cable and power; `journalctl -u intake` shows why; the udev rule 70-intake.rules must be installed"))
            }
        case .failure(let error):
            let notRunning = (error as? ControlError)?.code == .daemonNotRunning
            checks.append(Check(name: "daemon", ok: false, detail: notRunning ? "not running" : "\(error)",
                                fix: notRunning ? "sudo systemctl enable --now intake; `journalctl -u intake -b` says why it stopped"
                                    : "`systemctl status intake`; the watchdog restarts a stuck daemon"))
            checks.append(scannerDirectly(configuration))
        }
        checks.append(writable(configuration.paths))
        checks.append(secrecy(configuration))
        checks.append(ocr(configuration))
        checks += register(configuration, buildYear: buildYear)
        for target in configuration.targets { checks.append(await self.target(target)) }
        return checks
    }

    static func sane(_ directory: String) -> Check {
        let dll = directory + "/dll.conf"
        guard let text = try? String(contentsOfFile: dll, encoding: .utf8) else {
            return Check(name: "sane", ok: false, detail: "cannot read \(dll)", fix: "apt-get install libsane1 sane-utils")
        }
        let backends = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return Check(name: "sane", ok: !backends.isEmpty, detail: "\(dll): \(backends.count) backend(s) enabled",
                     fix: "enable your scanner's backend in \(dll)")
    }

    static func scannerDirectly(_ configuration: Configuration) -> Check {
        do {
            let scanner = try Daemon.saneLocator(configuration.device)()
            defer { scanner.close() }
            let info = scanner.info
            let problems = configuration.profiles.flatMap { name, profile in
                scanner.validate(ScanRecipe(profile: profile).settings).map { "profile \(name): \($0.message)" }
            }
            return Check(name: "scanner", ok: problems.isEmpty,
                         detail: "\(info.vendor) \(info.model) (\(info.name))" + (problems.isEmpty ? " opens; profiles fit its options" : ": " + problems.joined(separator: "; ")),
                         fix: "adjust the profiles to the options `intake options \(info.name)` lists")
        } catch let error as ScanError where error.code == .accessDenied {
            return Check(name: "scanner", ok: false, detail: error.detail,
                         fix: "add the service user to group scanner (`usermod -aG scanner intake`) and install udev/70-intake.rules")
        } catch {
            return Check(name: "scanner", ok: false, detail: "\(error)",
                         fix: "plug the scanner in and switch it on; `intake devices` lists what SANE sees")
        }
    }

    /// Writes and removes a probe file where the register, documents and staging live: a
    /// read-only mount or wrong owner is found before a clerk presses scan.
    static func writable(_ paths: Configuration.Paths) -> Check {
        for directory in [paths.stateDirectory, paths.documentsDirectory, paths.stagingDirectory] {
            let probe = directory + "/.doctor-\(getpid())"
            let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                return Check(name: "state", ok: false, detail: "cannot write in \(directory): \(reason)",
                             fix: "remount read-write or `chown -R intake: \(paths.stateDirectory)`; nothing can be numbered until then")
            }
            close(fd)
            unlink(probe)
        }
        return Check(name: "state", ok: true, detail: "\(paths.stateDirectory) is writable")
    }

    static func register(_ configuration: Configuration, buildYear: Int) -> [Check] {
        do {
            let context = try ApplianceContext(configuration: configuration, buildYear: buildYear)
            var checks: [Check] = []
            let verification = try context.register.verifyAuditChain()
            checks.append(Check(name: "register", ok: verification.isValid,
                                detail: verification.isValid ? "\(configuration.paths.databasePath): \(verification.entriesChecked) audit entries verify"
                                    : "\(verification.problems.count) problem(s); first at entry \(verification.firstBadEntry.map(String.init) ?? "?"): \(verification.problem ?? "")",
                                fix: "restore the register from the last backup; run `intake register verify` for details"))
            if let problem = context.register.identityCheck() {
                checks.append(Check(name: "identity", ok: false, detail: "\(problem.message) \(problem.detail)",
                                    fix: "`intake restore --from BACKUP` (see README, register identity); numbering is stopped until then"))
            } else {
                checks.append(Check(name: "identity", ok: true, detail: "the register matches its documents"))
            }
            let clock = try context.register.clockCheck()
            checks.append(Check(name: "clock", ok: clock.isOK, detail: "\(VietnamTime.iso8601(clock.now))" + (clock.isOK ? "" : ": \(clock.message)"),
                                fix: "set the time (`timedatectl set-ntp true`, or `timedatectl set-time`), then restart intake"))
            let future = try context.register.entriesFromTheFuture(now: context.trustedClock.trustedNow() ?? clock.now)
            if !future.isEmpty {
                let list = future.prefix(5).map { "\($0.book) \($0.number)/\($0.year)" }.joined(separator: ", ")
                checks.append(Check(name: "clock", ok: false,
                                    detail: "\(future.count) entr\(future.count == 1 ? "y was" : "ies were") numbered while the clock ran ahead (\(list))",
                                    fix: "once the clock is right: `intake register fix-clock --reason \"…\"` moves them into the right book and year"))
            }
            let disk = context.diskGuard.check()
            checks.append(Check(name: "disk", ok: disk.ok, detail: "\(disk.freeMB) MB free in \(disk.path) (minimum \(disk.minimumMB) MB)",
                                fix: "free space, or move delivered documents off the box"))
            let stuck = try context.register.queueCounts()
            let bad = (stuck[.needsAttention] ?? 0) + (stuck[.corrupt] ?? 0)
            checks.append(Check(name: "outbox", ok: bad == 0, detail: "\(stuck[.pending] ?? 0) pending, \(stuck[.needsAttention] ?? 0) need attention, \(stuck[.corrupt] ?? 0) corrupt, \(stuck[.held] ?? 0) held",
                                fix: "`intake queue list` shows the errors; fix them, then `intake queue retry --all`"))
            return checks
        } catch {
            return [Check(name: "register", ok: false, detail: "\(error)",
                          fix: "check that \(configuration.paths.stateDirectory) exists and belongs to the service user")]
        }
    }

    static func target(_ target: Configuration.Target) async -> Check {
        switch target.kind {
        case .directory:
            let path = target.path ?? ""
            let ok = access(path, W_OK) == 0
            return Check(name: "target", ok: ok, detail: "\(target.name): directory \(path) \(ok ? "is writable" : "is not writable or not mounted")",
                         fix: "mount the approved USB storage at \(path) and make it writable for the service user")
        case .http, .paperless, .tus:
            if let file = target.tokenFile {
                do { _ = try BearerToken.load(path: file) } catch {
                    return Check(name: "target", ok: false, detail: "\(target.name): \(error)", fix: "chmod 600 \(file); chown intake \(file)")
                }
            }
            let url = (target.url ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            // Credentials in a URL are never printed (nor journalled): `config show` masks them too.
            let shown = ConfigurationPrinter.maskCredentials(url)
            do {
                let response = try await TargetProbe.perform(target, connectTimeout: .seconds(5), totalTimeout: .seconds(10))
                return Check(name: "target", ok: response.status < 500, detail: "\(target.name): \(shown) answers (HTTP \(response.status))",
                             fix: "the central system reports an error; ask its operators")
            } catch {
                let message = "\(error)".replacingOccurrences(of: url, with: shown)
                return Check(name: "target", ok: false, detail: "\(target.name): \(shown) unreachable: \(message)",
                             fix: "check the network cable and proxy; documents wait in the outbox meanwhile")
            }
        }
    }
}
