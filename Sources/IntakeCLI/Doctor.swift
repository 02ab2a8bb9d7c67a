import Appliance
import ArgumentParser
import Delivery
import Foundation
import Registry
import Scanning

extension Intake {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check everything the box needs, one pass/fail line each, with the fix.",
            discussion: """
            Checks the configuration, SANE and the scanner (access and permissions), the register \
            database and its audit chain, each delivery target (token file, reachability), the \
            clock and free disk space. Exit 0 when all pass, 1 otherwise.

            Example:
              sudo -u intake intake doctor
            """
        )

        @OptionGroup var global: GlobalOptions

        struct Check {
            var name: String
            var ok: Bool
            var detail: String
            var fix: String?
        }

        func run() async throws {
            var checks: [Check] = []
            defer {
                for c in checks {
                    print("\(c.ok ? "PASS" : "FAIL")  \(c.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(c.detail)")
                    if let fix = c.fix, !c.ok { print("      \("".padding(toLength: 10, withPad: " ", startingAt: 0)) fix: \(fix)") }
                }
            }
            // Configuration
            let configuration: Configuration
            do {
                configuration = try global.loadConfiguration()
                checks.append(Check(name: "config", ok: true, detail: "\(global.config) is valid"))
            } catch let error as ConfigurationError {
                checks.append(Check(name: "config", ok: false, detail: error.issues.map(\.description).joined(separator: "; "),
                                    fix: "edit the file at the lines named, then run `intake config validate`"))
                throw ExitStatus.failure
            }

            // SANE and the scanner
            let saneDir = ProcessInfo.processInfo.environment["SANE_CONFIG_DIR"] ?? "/etc/sane.d"
            let dll = saneDir + "/dll.conf"
            if let text = try? String(contentsOfFile: dll, encoding: .utf8) {
                let backends = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
                checks.append(Check(name: "sane", ok: !backends.isEmpty, detail: "\(dll): \(backends.count) backend(s) enabled",
                                    fix: "enable your scanner's backend in \(dll)"))
            } else {
                checks.append(Check(name: "sane", ok: false, detail: "cannot read \(dll)", fix: "apt-get install libsane1 sane-utils"))
            }
            var daemonRunning = false
            do {
                try askDaemon(socket: configuration.paths.socket, ControlRequest(command: .status)) { reply in
                    daemonRunning = true
                    if let d = reply.status?.daemon {
                        checks.append(Check(name: "daemon", ok: true, detail: "running, pid \(d.pid), \(d.state)"))
                        checks.append(Check(name: "scanner", ok: d.deviceState == "connected",
                                            detail: "\(d.deviceState)\(d.device.map { " (\($0))" } ?? "")\(d.lastError.map { ": \($0)" } ?? "")",
                                            fix: "check the USB cable and power; `journalctl -u intake` shows why; the udev rule 70-intake.rules must be installed"))
                    }
                    return false
                }
            } catch let error as ControlError {
                if error.code == .daemonNotRunning {
                    checks.append(Check(name: "daemon", ok: true, detail: "not running (checking the scanner directly)"))
                } else {
                    checks.append(Check(name: "daemon", ok: false, detail: error.description, fix: error.detail))
                }
            }
            if !daemonRunning {
                do {
                    let scanner = try Daemon.saneLocator(configuration.device)()
                    let info = scanner.info
                    let problems = configuration.profiles.flatMap { name, profile in
                        scanner.validate(ScanRecipe(profile: profile).settings).map { "profile \(name): \($0.message)" }
                    }
                    scanner.close()
                    checks.append(Check(name: "scanner", ok: problems.isEmpty,
                                        detail: "\(info.vendor) \(info.model) (\(info.name))" + (problems.isEmpty ? " opens; profiles fit its options" : ": " + problems.joined(separator: "; ")),
                                        fix: "adjust the profiles to the options `intake options \(info.name)` lists"))
                } catch let error as ScanError where error.code == .accessDenied {
                    checks.append(Check(name: "scanner", ok: false, detail: error.detail,
                                        fix: "add the service user to group scanner (`usermod -aG scanner intake`) and install udev/70-intake.rules"))
                } catch {
                    checks.append(Check(name: "scanner", ok: false, detail: "\(error)",
                                        fix: "plug the scanner in and switch it on; `intake devices` lists what SANE sees"))
                }
            }

            // Register
            do {
                let context = try ApplianceContext(configuration: configuration, buildYear: IntakeVersion.buildYear)
                let verification = try context.register.verifyAuditChain()
                checks.append(Check(name: "register", ok: verification.isValid,
                                    detail: verification.isValid ? "\(configuration.paths.databasePath): \(verification.entriesChecked) audit entries verify"
                                        : "audit chain broken at entry \(verification.firstBadEntry.map(String.init) ?? "?"): \(verification.problem ?? "")",
                                    fix: "restore the register from the last backup; run `intake register verify` for details"))
                let clock = try context.register.clockCheck()
                checks.append(Check(name: "clock", ok: clock.isOK, detail: "\(clock.now.localTimestamp)" + (clock.isOK ? "" : ": \(clock.message)"),
                                    fix: "set the time (`timedatectl set-ntp true`, or `timedatectl set-time`), then restart intake"))
                let disk = context.diskGuard.check()
                checks.append(Check(name: "disk", ok: disk.ok, detail: "\(disk.freeMB) MB free in \(disk.path) (minimum \(disk.minimumMB) MB)",
                                    fix: "free space, or move delivered documents off the box"))
                let stuck = try context.register.queueCounts()
                let bad = (stuck[.needsAttention] ?? 0) + (stuck[.corrupt] ?? 0)
                checks.append(Check(name: "outbox", ok: bad == 0, detail: "\(stuck[.pending] ?? 0) pending, \(stuck[.needsAttention] ?? 0) need attention, \(stuck[.corrupt] ?? 0) corrupt, \(stuck[.held] ?? 0) held",
                                    fix: "`intake queue list` shows the errors; fix them, then `intake queue retry --all`"))
            } catch {
                checks.append(Check(name: "register", ok: false, detail: "\(error)",
                                    fix: "check that \(configuration.paths.stateDirectory) exists and belongs to the service user"))
            }

            checks += Self.operationsChecks(configuration)

            // Targets
            for target in configuration.targets {
                checks.append(await Self.check(target))
            }
            if checks.contains(where: { !$0.ok }) { throw ExitStatus.failure }
        }

        static func check(_ target: Configuration.Target) async -> Check {
            switch target.kind {
            case .directory:
                let path = target.path ?? ""
                let ok = access(path, W_OK) == 0
                return Check(name: "target", ok: ok, detail: "\(target.name): directory \(path) \(ok ? "is writable" : "is not writable or not mounted")",
                             fix: "mount the approved USB storage at \(path) and make it writable for the service user")
            case .http:
                if let file = target.tokenFile {
                    do { _ = try BearerToken.load(path: file) } catch {
                        return Check(name: "target", ok: false, detail: "\(target.name): \(error)", fix: "chmod 600 \(file); chown intake \(file)")
                    }
                }
                let url = (target.url ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                var settings = ApplianceContext.transportSettings(target)
                settings.connectTimeout = .seconds(5)
                settings.totalTimeout = .seconds(10)
                do {
                    let transport = try CurlTransport(settings: settings)
                    let response = try await transport.perform(HTTPRequest(method: "GET", url: url + "/health"))
                    return Check(name: "target", ok: response.status < 500,
                                 detail: "\(target.name): \(url) answers (HTTP \(response.status))",
                                 fix: "the central system reports an error; ask its operators")
                } catch {
                    return Check(name: "target", ok: false, detail: "\(target.name): \(url) unreachable: \(error)",
                                 fix: "check the network cable and proxy; documents wait in the outbox meanwhile")
                }
            }
        }
    }
}
