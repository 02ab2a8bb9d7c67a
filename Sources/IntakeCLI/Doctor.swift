import Appliance
import ArgumentParser
import Foundation
import IntakeCore

extension Intake {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check everything the box needs, one pass/fail line each, with the fix.",
            discussion: """
            Checks the configuration, the daemon, SANE and the scanner (access and permissions), \
            that the state directory can be written, the register database (audit chain, identity \
            against its documents), each delivery target (token file, reachability), the clock and \
            free disk space. Exit 0 when all pass, 1 otherwise.

            Example:
              sudo -u intake intake doctor
            """
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let configuration: Configuration
            do {
                configuration = try global.loadConfiguration()
            } catch let error as ConfigurationError {
                Self.render([Appliance.Doctor.Check(name: "config", ok: false, detail: error.issues.map(\.description).joined(separator: "; "),
                                                    fix: "edit the file at the lines named, then run `intake config validate`")])
                throw ExitStatus.failure
            }
            let daemon = Result<StatusReport, any Error> { try DaemonClient(socket: configuration.paths.socket).status() }
            let checks = await Appliance.Doctor.run(
                configuration, configPath: global.config, daemon: daemon, buildYear: IntakeVersion.buildYear,
                saneConfigDirectory: ProcessInfo.processInfo.environment["SANE_CONFIG_DIR"] ?? "/etc/sane.d")
                + Self.operationsChecks(configuration)
            Self.render(checks)
            if checks.contains(where: { !$0.ok }) { throw ExitStatus.failure }
        }

        static func render(_ checks: [Appliance.Doctor.Check]) {
            for c in checks {
                print("\(c.ok ? "PASS" : "FAIL")  \(c.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(c.detail)")
                if let fix = c.fix, !c.ok { print("      \("".padding(toLength: 10, withPad: " ", startingAt: 0)) fix: \(fix)") }
            }
        }
    }
}
