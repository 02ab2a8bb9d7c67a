import Appliance
import ArgumentParser
import Foundation
import IntakeCore
import Registry

extension Intake.Register {
    struct Mark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a document's secrecy (độ mật) inside its hold window, up or down.",
            discussion: """
            Raised (an ordinary entry found to be MẬT): the ordinary entry is voided with the reason and \
            the document is registered again in the classified book; its ordinary deliveries stop in the \
            same step, so it never reaches an ordinary target. Lowered (--secrecy none, an entry of the \
            classified book registered MẬT by mistake; the number is then looked up in the classified \
            book): the classified entry is voided with the reason and the document is registered in the \
            ordinary book from its kept pages; refused on an Internet box, which never kept them (scan \
            the paper again as a new document). Refused once the hold window has passed or a target has \
            the document. Goes through the daemon when it runs.

            Examples:
              intake register mark 12 --secrecy mat --reason "Dấu MẬT ở trang 2"
              intake register mark 12 --secrecy sensitive --reason "Đơn tố cáo"
              intake register mark 3 --secrecy none --reason "Vào sổ mật nhầm"
            """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: EntryOptions
        @Option(help: "Secrecy (độ mật): mat, toi_mat, tuyet_mat, sensitive (đơn thư khiếu nại, tố cáo), or none to lower to ordinary.") var secrecy: String
        @Option(help: "Why (required; kept in the register and the audit log).") var reason: String
        @Flag(help: "Do not go through the daemon even when it runs.") var direct = false

        func validate() throws {
            let allowed = Secrecy.words
            if !allowed.contains(secrecy) { throw ValidationError("--secrecy must be one of \(allowed.joined(separator: ", ")).") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why, e.g. --reason \"Dấu MẬT ở trang 2\".") }
        }

        func run() async throws {
            let configuration: Configuration
            do { configuration = try global.loadConfiguration() } catch { throw fail(error) }
            let request = SecrecyCorrectionRequest(number: entry.number, book: entry.book, year: entry.year, secrecy: secrecy, reason: reason)
            if !direct {
                do {
                    switch try DaemonClient(socket: configuration.paths.socket).correctSecrecy(request) {
                    case .success(let document): print(document.notice ?? "Số đến \(document.number) — book \(document.book)")
                    case .failure(let error): throw fail(error)
                    }
                    return
                } catch let error as ControlError where error.code == .daemonNotRunning {
                    printError("intake: the daemon is not running; correcting the register directly")
                }
            }
            do {
                let context = try ApplianceContext(configuration: configuration, buildYear: IntakeVersion.buildYear)
                print(try SecrecyCorrection(context: context).correct(request).message)
            } catch {
                throw fail(error)
            }
        }
    }
}
