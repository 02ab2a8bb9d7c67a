import Appliance
import ArgumentParser
import Foundation
import Scanning

extension Intake {
    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the scanners SANE can see.",
            discussion: """
            Shows each device's SANE name (use it in [device] name or --device), vendor, model and \
            type. If the daemon is running it holds its scanner, which may then be missing here.

            Example:
              intake devices
            """
        )

        @Flag(help: "Include network scanners (slow: they are probed).") var network = false
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            do {
                let devices = try SaneRuntime.shared.devices(localOnly: !network)
                if json { return try printJSON(devices) }
                if devices.isEmpty {
                    printError("No scanner found. Check the cable and power, `lsusb`, and that the service user is in group scanner.")
                    throw ExitStatus.notReady
                }
                print(table(["NAME", "VENDOR", "MODEL", "TYPE"], devices.map { [$0.name, $0.vendor, $0.model, $0.type] }))
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}
