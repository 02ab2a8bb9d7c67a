internal import Glibc
internal import IntakeCore

/// `intake` as technicians type it. A process maps only what it uses (issue 13): scanning to a
/// file (`intake scan --device … --output …`) and `--version` run here, with FoundationEssentials,
/// SANE, libjpeg and libtiff only; every other command — and any scan-to-file request this front
/// does not fully understand — is handed to intake-full by exec, which parses it, prints its help
/// and its errors exactly as always.
@main
enum IntakeFront {
    static func main() {
        let arguments = CommandLine.arguments
        let commandArguments = Array(arguments.dropFirst())
        if commandArguments == ["--version"] {
            print(IntakeVersion.string)
            exit(0)
        }
        if let scan = ScanToFile.lean(commandArguments) {
            exit(scan.run())
        }
        FullCommand.exec(arguments)
    }
}
