import Appliance
import ArgumentParser
import Foundation
import Scanning

extension Intake {
    struct Options: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a scanner's options: type, unit, allowed values, current value.",
            discussion: """
            Use it to write profiles that fit the scanner: `intake config validate` checks profiles \
            against exactly these constraints. Stop the daemon first if it holds the scanner.

            Examples:
              intake options test:0
              intake options fujitsu:fi-7160:1234 --all
              intake options fujitsu:fi-7160:1234 --json --probe-rules > fi-7160.json
              intake options --replay fi-7160.json --all

            --json writes a device description (every option, active or not, with its constraint \
            and value; with --probe-rules also which options change when a bool or list option is \
            set, found by setting each one and back, never pressing a button). The Scanning tests \
            replay such files; see Tests/ScanningTests/Devices. --replay FILE reads such a \
            description instead of a device.
            """
        )

        @Argument(help: "SANE device name (see `intake devices`).")
        var device: String?

        @Option(help: "A device description (from --json) to read instead of a device.")
        var replay: String?

        @Flag(help: "Include inactive and advanced options.")
        var all = false

        @Flag(help: "Print a device description (JSON) that the replay device can scan from.")
        var json = false

        @Flag(help: "With --json: set each bool and list option to each value and back, recording what else changes.")
        var probeRules = false

        func validate() throws {
            if (device == nil) == (replay == nil) {
                throw ValidationError("Name a device (`intake options test:0`) or a description (`intake options --replay fi-7160.json`), not both.")
            }
        }

        func run() async throws {
            do {
                let scanner: any Scanning.Scanner
                if let replay {
                    let data = try Data(contentsOf: URL(fileURLWithPath: replay))
                    scanner = try JSONDecoder().decode(DeviceDescription.self, from: data).openReplay()
                } else {
                    scanner = try SaneRuntime.shared.open(device ?? "")
                }
                defer { scanner.close() }
                if json { return try printJSON(try DescriptionCapture.capture(scanner, probeRules: probeRules)) }
                let options = try scanner.options().filter { all || ($0.isActive && !$0.isAdvanced) }
                print(table(["OPTION", "TYPE", "UNIT", "VALUE", "ALLOWED"], options.filter { !$0.name.isEmpty }.map { o in
                    [o.name + (o.isSettable ? "" : " (read-only)") + (o.isActive ? "" : " (inactive)"), o.type.rawValue, o.unit.rawValue,
                     o.value.map(Self.show) ?? "-", o.allowedDescription]
                }))
            } catch {
                throw fail(error)
            }
        }

        static func show(_ value: OptionValue) -> String {
            switch value {
            case .bool(let b): b ? "yes" : "no"
            case .int(let i): "\(i)"
            case .fixed(let d): String(format: "%g", d)
            case .string(let s): s
            case .button: "(button)"
            }
        }
    }
}
