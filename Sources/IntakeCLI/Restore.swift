import Appliance
import ArgumentParser
import Foundation
import Registry
import IntakeCore

extension Intake {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup back into the state directory (daemon stopped).",
            discussion: """
            Refuses while the daemon runs. Checks every file against the backup's manifest \
            first (nothing is touched if one differs), moves the present register and documents \
            aside to STATE/before-restore-…/ (never deletes them), copies the backup in, runs \
            `register verify` and recovery, and continues numbering after the highest number \
            known anywhere: the restored register, the document files, the old register, \
            directory targets and the centre's receipts. Numbers given after the backup are \
            voided with a reason, never given again. A tar stream from `backup --to -` is \
            unpacked first (tar -xf FILE -C /tmp/restore).

            Example:
              systemctl stop intake
              intake restore --from /media/backup-disk/intake/intake-backup-20261201T020000Z
              systemctl start intake
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The backup directory (intake-backup-…).", valueName: "dir"))
        var from: String

        @Flag(help: "Do not ask HTTP targets for their receipts (no network).")
        var offline = false

        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            do {
                var restorer = BackupRestorer(configuration: try global.loadConfiguration(), buildYear: IntakeVersion.buildYear)
                restorer.askCentre = !offline
                let report = try await restorer.restore(from: from)
                if json { return try printJSON(report) }
                print("restored    \(report.filesRestored) file(s), \(String(format: "%.1f", Double(report.bytesRestored) / 1_048_576)) MB from \(report.backup)")
                print("backup of   \(report.backupTakenAt.localTimestamp): \(report.documents) document(s), last \(report.lastNumbersInBackup.map { "\($0.book) \($0.year): \($0.number)" }.joined(separator: ", "))")
                if let aside = report.previousStateMovedTo { print("previous    state moved to \(aside)") }
                print("verify      audit chain intact: \(report.auditEntriesVerified) entries checked")
                print("recovery    \(report.recovery)")
                for known in report.highestKnown { print("highest     \(known.book) \(known.year): \(known.number) (\(known.source))") }
                for source in report.unavailableSources { print("NOT ASKED   \(source)") }
                print("voided      \(report.voidedGap.count) number(s) given after the backup (sổ ghi lý do)")
                print("next        \(report.lastNumbersNow.map { "\($0.book) \($0.year): \($0.number + 1)" }.joined(separator: ", "))")
                if !report.unavailableSources.isEmpty { throw ExitStatus.notReady }
            } catch let code as ExitCode {
                throw code
            } catch {
                throw fail(error)
            }
        }
    }
}
