import Appliance
import Foundation

extension Intake.Doctor {
    /// The last good backup's age, and whether the clock is synchronised (timedatectl).
    static func operationsChecks(_ configuration: Configuration, now: Date = Date()) -> [Appliance.Doctor.Check] {
        var checks: [Appliance.Doctor.Check] = []
        let limit = configuration.backup.maximumAgeHours
        if let last = BackupRecord.load(stateDirectory: configuration.paths.stateDirectory) {
            let age = last.ageHours(at: now)
            checks.append(Appliance.Doctor.Check(name: "backup", ok: age <= Double(limit),
                                detail: "last good backup \(String(format: "%.1f", age)) h ago: \(last.directory) (\(last.documents) documents)",
                                fix: "check `systemctl status intake-backup.timer` and `journalctl -u intake-backup`; run `intake backup` now"))
        } else {
            checks.append(Appliance.Doctor.Check(name: "backup", ok: false, detail: "no backup has been taken on this box",
                                fix: "set [backup] destination, then `systemctl enable --now intake-backup.timer` and run `intake backup`"))
        }
        if let synced = timeSynchronised() {
            checks.append(Appliance.Doctor.Check(name: "time sync", ok: synced, detail: synced ? "system clock is synchronised (NTP)" : "system clock is NOT synchronised",
                                fix: TimeSyncSetup().fix(centre: TimeSyncSetup.centreHost(configuration))))
        }
        return checks
    }

    /// `timedatectl show -p NTPSynchronized --value`: true/false, nil when timedatectl cannot tell
    /// (no systemd, e.g. in a container).
    static func timeSynchronised() -> Bool? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timedatectl")
        process.arguments = ["show", "-p", "NTPSynchronized", "--value"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        switch output {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }
}
