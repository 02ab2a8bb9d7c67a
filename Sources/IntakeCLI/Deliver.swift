import Appliance
import ArgumentParser
import Foundation
import Registry

extension Intake {
    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send what is due in the outbox now, then exit.",
            discussion: """
            Does what the daemon's outbox worker does, once: documents due for delivery are sent \
            in priority order (hỏa tốc first, then by number). Transient failures are scheduled \
            for a later retry; permanent ones wait in "needs attention" (see `intake queue list`).
            Use --all to try documents whose retry time has not come yet.

            Example:
              intake deliver --all
            """
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Retry everything pending now, not only what is due.")
        var all = false

        func run() async throws {
            let logger = global.makeLogger(label: "intake.deliver")
            do {
                let context = try global.openContext()
                if all { try context.register.retryAll() }
                let worker = OutboxWorker(register: context.register, organisationCode: context.configuration.organisationCode,
                                          targets: try context.makeTargets(), policy: context.retryPolicy,
                                          clock: context.clock, logger: logger, gate: ReleaseGate(context.configuration),
                                          classifiedFiles: context.configuration.network == .classified
                                              ? try ClassifiedFiles(configuration: context.configuration) : nil)
                let report = try await worker.drainDue()
                print("delivered \(report.delivered), retry later \(report.retrying), needs attention \(report.needsAttention), corrupt \(report.corrupt), held \(report.held)")
                if report.needsAttention + report.corrupt > 0 { throw ExitStatus.notReady }
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}
