import CStartup
import ArgumentParser
import Foundation
import IntakeCLI

/// Runs `intake`, mapping usage errors to exit code 2 (the code documented in README) instead of
/// ArgumentParser's 64.
@main
struct IntakeMain {
    static func main() async {
        _ = intake_startup_linked()  // keeps the constructor that blocks the daemon's signals
        do {
            var command = try Intake.parseAsRoot()
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

