import Appliance
import ArgumentParser
import Foundation
import Registry

extension Intake {
    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove local copies of documents delivered longer ago than [retention] says.",
            discussion: """
            A document's PDF is removed from the box once every target confirmed receipt more \
            than [retention] delivered_days ago (default 90; classified documents: \
            classified_days, default 0 = kept). The register row stays; an audit entry records \
            the removal. The daemon does this every [retention] sweep_minutes.

            Example:
              intake retention --dry-run
            """
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "List what would be removed; remove nothing.")
        var dryRun = false

        func run() async throws {
            do {
                let context = try global.openContext()
                let sweeper = RetentionSweeper(register: context.register, retention: context.configuration.retention, clock: context.clock)
                let result = try sweeper.sweep(dryRun: dryRun)
                for c in dryRun ? result.candidates : result.removed {
                    print("\(dryRun ? "would remove" : "removed")  \(c.book) \(c.year) số \(c.number)  delivered \(c.deliveredAt.localTimestamp)  \(c.path)")
                }
                print("\(dryRun ? "would remove" : "removed") \(dryRun ? result.candidates.count : result.removed.count) local cop\(result.candidates.count == 1 ? "y" : "ies")")
                for failure in result.failures { printError("intake: \(failure)") }
                if !result.failures.isEmpty { throw ExitStatus.failure }
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}
