import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry

extension Intake.Register {
    struct ConfirmMark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm-mark",
            abstract: "Settle a document held because its page shows a secrecy mark (dấu độ mật).",
            discussion: """
            The header reader found a secrecy mark (MẬT, TỐI MẬT, TUYỆT MẬT) on page 1 of a document \
            registered as ordinary, or could not read the marks at all, and the document is held. \
            Look at the paper, then either confirm the secrecy — the ordinary entry is voided with the \
            reason and the document registered in the classified book (on an Internet box its pages \
            are destroyed) — or dismiss the mark as misread: the check passes and the document leaves. \
            Nothing is ever lowered automatically. Goes through the daemon when it runs.

            Examples:
              intake register confirm-mark 12 --secrecy mat --reason "Dấu MẬT đỏ trên trang 1"
              intake register confirm-mark 12 --dismiss --reason "Chữ 'MẬT' trong tên cơ quan, không phải dấu"
            """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Confirm the mark: the secrecy to register (mat, toi_mat, tuyet_mat, sensitive).") var secrecy: String?
        @Flag(help: "The mark was misread: release the document as registered.") var dismiss = false
        @Option(help: "Why (required; kept in the register and the audit log).") var reason: String
        @Flag(help: "Do not go through the daemon even when it runs.") var direct = false

        func validate() throws {
            if dismiss == (secrecy != nil) {
                throw ValidationError("Give exactly one of --secrecy mat (confirm the mark) or --dismiss (misread).")
            }
            let allowed = Secrecy.words.filter { $0 != "none" }
            if let secrecy, !allowed.contains(secrecy) { throw ValidationError("--secrecy must be one of \(allowed.joined(separator: ", ")).") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why, e.g. --reason \"Dấu MẬT đỏ trên trang 1\".") }
        }

        func run() async throws {
            let configuration: Configuration
            do { configuration = try global.loadConfiguration() } catch { throw fail(error) }
            let request = MarkConfirmationRequest(number: entry.number, book: entry.book, year: entry.year,
                                                  decision: dismiss ? .dismiss : .confirm, secrecy: secrecy, reason: reason)
            if !direct {
                do {
                    let client = DaemonClient(socket: configuration.paths.socket)
                    switch try client.documentAnswer(to: ControlRequest(command: .confirmMark, confirmation: request),
                                                     ifUnanswered: "check `intake register show \(entry.number)` before trying again") {
                    case .success(let document): print(document.notice ?? "Số đến \(document.number) — book \(document.book)")
                    case .failure(let error): throw fail(error)
                    }
                    return
                } catch let error as ControlError where error.code == .daemonNotRunning {
                    printError("intake: the daemon is not running; settling the marks check in the register directly")
                }
            }
            do {
                let context = try ApplianceContext(configuration: configuration, buildYear: IntakeVersion.buildYear)
                print(try MarkConfirmation(context: context).apply(request).message)
            } catch {
                throw fail(error)
            }
        }
    }
}
