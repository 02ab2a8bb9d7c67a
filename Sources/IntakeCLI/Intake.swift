public import ArgumentParser
import Appliance
import IntakeCore

/// The `intake` command: the one tool a technician uses to run, configure and diagnose the box.
public struct Intake: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Scan, number and deliver incoming documents (văn bản đến).",
        discussion: """
        Intake runs on the box beside the front-desk scanner. `intake serve` is the daemon \
        (started by systemd); every other command is for technicians at a shell.

        Exit codes: 0 ok, 1 failure, 2 usage error, 3 not ready or needs attention.

        Start here:  intake doctor
        """,
        version: IntakeVersion.string,
        subcommands: [
            Serve.self, Scan.self, Devices.self, Options.self, Status.self, Doctor.self,
            Register.self, Queue.self, Deliver.self, Config.self, OCR.self, Backup.self, Restore.self, Retention.self,
        ]
    )

    public init() {}
}

/// Flags every command understands.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String = ConfigurationLoader.defaultPath

    @Option(name: .long, help: ArgumentHelp("Override paths.state_dir from the configuration (register, documents).", valueName: "dir"))
    var stateDir: String?

    @Flag(name: .shortAndLong, help: "Log debug details to stderr.")
    var verbose = false
}

/// Exit codes documented in README.
enum ExitStatus {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
    static let notReady = ExitCode(3)
}
