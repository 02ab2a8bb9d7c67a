import Appliance
import Logging
import ArgumentParser
import Foundation
import IntakeCore

/// A command that takes SIGTERM, SIGINT, SIGUSR1 and SIGHUP itself (the daemon): `intake`
/// blocks them right after parsing, before any thread of the command exists, so every thread
/// inherits the mask. The command asks for it, so an alias or a changed spelling cannot lose it.
public protocol TakesProcessSignals {}

extension Intake {
    struct Serve: AsyncParsableCommand, TakesProcessSignals {
        static let configuration = CommandConfiguration(
            abstract: "Run the daemon: own the scanner, number documents, deliver them.",
            discussion: """
            Normally started by systemd (intake.service, Type=notify). It listens on the socket \
            named in paths.socket; `intake scan --profile P` talks to it there. Scanner buttons \
            and USB keys configured under [[triggers]] start scans. SIGTERM finishes the page in \
            hand and stops; SIGUSR1 looks for the scanner at once (the udev rule sends it).

            Example (by hand, in the foreground):
              intake serve --config /etc/intake/intake.toml
            """
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let logger = global.makeLogger(label: "intake.serve")
            let context: ApplianceContext
            do {
                context = try global.openContext()
            } catch {
                throw fail(error)
            }
            let daemon = Daemon(context: context, logger: logger, locateScanner: Daemon.saneLocator(context.configuration.device))
            daemon.version = IntakeVersion.string
            do {
                try await daemon.run()
            } catch {
                logger.critical("daemon failed: \(error)")
                throw fail(error)
            }
        }
    }
}
