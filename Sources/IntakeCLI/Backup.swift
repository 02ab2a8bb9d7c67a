import Appliance
import ArgumentParser
import Foundation
import Registry
import IntakeCore

extension Intake {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the register, documents and config into a dated backup directory.",
            discussion: """
            Safe while the daemon runs: the register is copied with SQLite's online backup API \
            from one consistent snapshot. Writes DIR/intake-backup-YYYYMMDDTHHMMSSZ/ with \
            register.sqlite, documents/, config/intake.toml, manifest.json and SHA256SUMS; the \
            directory appears only when complete. Then keeps the newest --keep backups in DIR.
            Only local directories (a second disk, a USB device); a register with classified \
            documents (mật) is never backed up onto a network file system. `--to -` writes a \
            tar stream to standard output (refused when classified documents exist).
            systemd/intake-backup.timer runs `intake backup` daily into [backup] destination.

            Examples:
              intake backup                                   # to [backup] destination
              intake backup --to /media/backup-disk/intake --keep 14
              intake backup --to - | gzip > intake-backup.tar.gz
            """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Directory to back up into, or - for a tar stream on stdout (default: [backup] destination).", valueName: "dir"))
        var to: String?

        @Option(help: ArgumentHelp("Complete backups to keep in the directory (default: [backup] keep).", valueName: "n"))
        var keep: Int?

        @Flag(help: "JSON output.") var json = false

        func validate() throws {
            if let keep, keep < 1 { throw ValidationError("--keep must be 1 or more, e.g. --keep 7") }
        }

        func run() async throws {
            do {
                let context = try global.openContext()
                let maker = BackupMaker(context: context, intakeVersion: IntakeVersion.string)
                let destination = to ?? context.configuration.backup.destination
                if destination == "-" {
                    let manifest = try maker.streamTar()
                    printError("intake: backup of \(manifest.register.documents) document(s), \(manifest.files.count) file(s) written to stdout")
                    return
                }
                let result = try maker.backup(into: destination, keep: keep ?? context.configuration.backup.keep)
                if json { return try printJSON(result) }
                let m = result.manifest
                print("backup      \(result.directory)")
                print("register    \(m.register.documents) document(s), \(m.register.auditEntries) audit entries, schema \(m.register.schemaVersion)")
                print("last number \(m.register.lastNumbers.map { "\($0.book) \($0.year): \($0.number)" }.joined(separator: ", "))")
                print("files       \(m.files.count), \(String(format: "%.1f", Double(m.totalBytes) / 1_048_576)) MB in \(String(format: "%.1f", result.seconds)) s")
                for old in result.pruned { print("removed     \(old) (keeping \(keep ?? context.configuration.backup.keep))") }
            } catch {
                throw fail(error)
            }
        }
    }
}
