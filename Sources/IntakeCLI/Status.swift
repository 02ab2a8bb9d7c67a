import IntakeCore
import Appliance
import ArgumentParser
import Foundation
import IntakeCore

extension Intake {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the daemon, scanner, last numbers, outbox, clock and disk.",
            discussion: """
            Asks the running daemon; if it is not running, reads the register directly and says so.
            Exit 3 when something needs attention (scanner missing, clock wrong, disk low, \
            deliveries stuck).

            Example:
              intake status --json | jq .queue
            """
        )

        @OptionGroup var global: GlobalOptions
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            let report: StatusReport
            do {
                report = try StatusReport.current(configuration: global.loadConfiguration(), buildYear: IntakeVersion.buildYear) { note in
                    printError("intake: \(note)")
                }
            } catch {
                throw fail(error)
            }
            if json {
                try printJSON(report)
            } else {
                print(Self.render(report))
            }
            if report.needsAttention || report.daemon == nil { throw ExitStatus.notReady }
        }

        static func render(_ r: StatusReport) -> String {
            var lines: [String] = []
            if let d = r.daemon {
                lines.append("daemon      running (pid \(d.pid)) since \(d.since.localTimestamp): \(d.state)")
                lines.append("scanner     \(d.deviceState)\(d.device.map { " — \($0)" } ?? "")")
                if let e = d.lastError { lines.append("last error  \(e)") }
                if let o = d.offlineSince { lines.append("network     OFFLINE since \(o.localTimestamp) — documents are kept and sent when the link returns") }
                if let doc = d.lastDocument { lines.append("last scan   number \(doc.number)/\(doc.year) in \(doc.book), \(doc.pages) page(s)") }
            } else {
                lines.append("daemon      NOT RUNNING — start it with: systemctl start intake")
            }
            let numbers = r.lastNumbers.map { "\($0.book) \($0.year): \($0.number)" }.joined(separator: ", ")
            lines.append("last number \(numbers.isEmpty ? "none yet" : numbers)")
            if let l = r.leases {
                lines.append("leases      \(l.book) \(l.year): \(l.remaining) number(s) left in the leased blocks (khối số), "
                             + "\(l.unconfirmed) provisional (số tạm) waiting for the centre's confirmation")
            }
            let queue = r.queue.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("outbox      \(queue.isEmpty ? "empty" : queue)")
            if let oldest = r.oldestUndelivered { lines.append("oldest      undelivered since \(oldest.localTimestamp)") }
            lines.append("clock       \(r.clock.ok ? "ok" : "WRONG") — \(r.clock.now.localTimestamp)\(r.clock.ok ? "" : ": \(r.clock.message)")")
            lines.append("disk        \(r.disk.freeMB) MB free in \(r.disk.path) (minimum \(r.disk.minimumMB) MB)\(r.disk.ok ? "" : " — TOO LOW: scanning is refused")")
            lines.append("backup      " + (r.lastBackup.map { "last good \(String(format: "%.1f", $0.ageHours(at: Date()))) h ago (\($0.at.localTimestamp)) in \($0.directory)" } ?? "NONE taken yet — run `intake backup`"))
            return lines.joined(separator: "\n")
        }
    }
}
