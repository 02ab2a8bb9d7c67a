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
              intake options fujitsu:fi-7160:1234 --all --json
            """
        )

        @Argument(help: "SANE device name (see `intake devices`).")
        var device: String

        @Flag(help: "Include inactive and advanced options.")
        var all = false

        @Flag(help: "JSON output.")
        var json = false

        func run() async throws {
            do {
                let scanner = try SaneRuntime.shared.open(device)
                defer { scanner.close() }
                let options = try scanner.options().filter { all || ($0.isActive && !$0.isAdvanced) }
                if json { return try printJSON(options) }
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
