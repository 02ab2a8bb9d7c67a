import CStartup
import ArgumentParser
import Foundation
import IntakeCLI

/// Runs `intake`, mapping usage errors to exit code 2 (the code documented in README) instead of
/// ArgumentParser's 64.
@main
struct IntakeMain {
    static func main() async {
        do {
            var command = try Intake.parseAsRoot()
            // The command decides, not the spelling of argv[1]: the daemon blocks its signals
            // before it starts a thread (SignalWatcher takes them with sigwait()).
            if type(of: command) is any TakesProcessSignals.Type { _ = intake_block_daemon_signals() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Intake.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Intake.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            Intake.exit(withError: error)
        }
    }
}
