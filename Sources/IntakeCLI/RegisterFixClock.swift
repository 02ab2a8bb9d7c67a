import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry

extension Intake.Register {
    struct FixClock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fix-clock",
            abstract: "Move entries numbered while the clock ran ahead into the right book and year.",
            discussion: """
            After the box's clock was set in the future (say 2031) and then corrected, the entries \
            numbered meanwhile carry a future arrival time, in a future year's book. Run this once \
            the clock is right: each such entry is voided with your reason (its number stays in its \
            book and is never reused) and its document is registered again now, in the right book \
            and year, and queued for delivery. Every step is an audit entry. Numbering never waits \
            for this: the clock check no longer counts the moved entries.

            Stop the daemon first (it owns the register while it numbers).

            Example:
              intake register fix-clock --reason "BIOS clock reset to 2031 on 2026-11-30"
              intake register fix-clock --dry-run
            """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Why (required; printed in the register beside each voided entry).") var reason: String = ""
        @Flag(help: "Only list the entries that would move.") var dryRun = false

        func validate() throws {
            if !dryRun && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--reason must say what happened, e.g. --reason \"clock reset to 2031\".")
            }
        }

        func run() async throws {
            let context = try global.openContext()
            let clock = try context.register.clockCheck()
            guard clock.isOK || clock.verdict == .beforeLastRegistration else {
                throw fail(RegistryError(.clockWrong, clock.message, detail: "correct the clock first (`timedatectl set-ntp true`)"))
            }
            let future = try context.register.entriesFromTheFuture(now: context.clock.now())
            if future.isEmpty {
                print("No entry carries an arrival time ahead of the clock; nothing to move.")
                return
            }
            if dryRun {
                for d in future { print("would move \(d.book) \(d.number)/\(d.year) arrived \(d.arrivedAt.localTimestamp)") }
                return
            }
            if DaemonClient(socket: context.configuration.paths.socket).isRunning {
                throw fail(ControlError(code: .busy, message: "The Intake daemon is running.", detail: "stop it first: `sudo systemctl stop intake`"),
                           exitCode: ExitStatus.notReady)
            }
            let targets = context.configuration.targets.map(\.name)
            let moved = try context.register.moveEntriesFromTheFuture(
                reason: reason, targets: { _ in targets }, stagingDirectory: context.configuration.paths.stagingDirectory)
            for (old, new) in moved {
                print("\(old.book) \(old.number)/\(old.year) voided → registered again as \(new.book) \(new.number)/\(new.year)")
            }
        }
    }
}
