import Appliance
import ArgumentParser
import Foundation

extension Intake.Config {
    struct TimeSync: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timesync",
            abstract: "Make the centre the box's time source (systemd-timesyncd) where the office has none.",
            discussion: """
            Writes /etc/systemd/timesyncd.conf.d/intake.conf with FallbackNTP= the centre's host (the \
            numbering authority's URL, else the first target's), Debian's pool behind it. timesyncd \
            uses FallbackNTP only while it knows no other server, so time servers from DHCP or an \
            NTP= line the office set always win. Nothing is written when the office configured \
            NTP= or FallbackNTP= itself, when chrony or ntpd keeps the time, or when the host is \
            loopback or an example name. Run as root after editing the targets; the package runs \
            it on upgrade. Exit 0 when configured or deliberately skipped, 1 when writing failed.

            Examples:
              sudo intake config timesync
              sudo intake config timesync --server ntp.vanban.example.gov.vn
            """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Time server to name instead of the centre's host.", valueName: "host"))
        var server: String?
        @Option(help: ArgumentHelp("Write under this directory instead of / (for tests and images).", valueName: "dir"))
        var root: String = "/"

        func run() throws {
            let setup = TimeSyncSetup(root: root)
            let host: String
            if let server {
                host = server
            } else {
                let configuration: Configuration
                do { configuration = try global.loadConfiguration() } catch { throw fail(error) }
                guard let centre = TimeSyncSetup.centreHost(configuration) else {
                    print("skipped: no target with a URL in \(global.config); give the time server with --server")
                    return
                }
                host = centre
            }
            let outcome: TimeSyncSetup.Outcome
            do { outcome = try setup.apply(server: host) } catch { throw fail(error) }
            switch outcome {
            case let .configured(server, changed):
                print("\(changed ? "configured" : "unchanged"): FallbackNTP=\(server) in \(TimeSyncSetup.dropInPath) (used while the office gives no time server)")
                if changed, root == "/" { restartTimesyncd() }
            case let .skipped(reason):
                print("skipped: \(reason)")
            }
        }

        private func restartTimesyncd() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/systemctl")
            process.arguments = ["try-restart", "systemd-timesyncd.service"]
            var restarted = false
            do {
                try process.run()
                process.waitUntilExit()
                restarted = process.terminationStatus == 0
            } catch {}
            if !restarted { printError("note: could not restart systemd-timesyncd; it reads the drop-in when it next starts") }
        }
    }
}
