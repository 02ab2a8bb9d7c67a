import Foundation
import Testing

extension SystemSuite {

/// Backup, restore and reload with the real binaries: `intake serve` on the SANE test scanner,
/// the reference receiver as the centre, the CLI as the technician, systemd-analyze on the units.
@Suite struct OperationsSystemTests {
    func startDaemon(_ world: World) throws -> Child {
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        let up = eventually(timeout: 30) { FileManager.default.fileExists(atPath: world.socket) }
        guard up else { throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())") }
        return daemon
    }

    func number(_ output: Harness.Output) -> Int? {
        output.stdout.firstMatch(of: /Số đến (\d+)/).flatMap { Int($0.1) }
    }

    /// Backup while the daemon runs; restore refused while it runs; after it stops, the state
    /// directory is destroyed and restored, and numbering continues after the highest number the
    /// centre acknowledged (asked over HTTP), the numbers in between voided.
    @Test func backupWhileServingThenRestoreContinuesAfterTheCentresHighestNumber() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGKILL) }
        for _ in 0..<2 { #expect(try world.intakeWithConfig(["scan", "--profile", "urgent"]).status == 0) }
        let backup = try world.intakeWithConfig(["backup", "--to", world.root + "/backups", "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let made = try #require(JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])
        let directory = try #require(made["directory"] as? String)
        for _ in 0..<3 { #expect(try world.intakeWithConfig(["scan", "--profile", "urgent"]).status == 0) }
        #expect(try eventually { try receiver.documents().count == 5 }, "\(daemon.stderr.snapshot())")

        let refused = try world.intakeWithConfig(["restore", "--from", directory])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("daemon is running"), "\(refused.stderr)")

        let status = try world.intakeWithConfig(["status"])
        #expect(status.stdout.contains("backup      last good"), "\(status.stdout)")

        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 30) == 0)
        try FileManager.default.removeItem(atPath: world.root + "/state")
        let restore = try world.intakeWithConfig(["restore", "--from", directory, "--json"])
        #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(restore.stdout.utf8)) as? [String: Any])
        #expect((report["voidedGap"] as? [String])?.count == 3)
        let highest = try #require((report["highestKnown"] as? [[String: Any]])?.first)
        #expect(highest["number"] as? Int == 5)
        #expect((highest["source"] as? String)?.contains("receipts of target central") == true)

        let verify = try world.intakeWithConfig(["register", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        let next = try world.intakeWithConfig(["scan", "--profile", "urgent"])
        #expect(number(next) == 6, "\(next.stdout)\(next.stderr)")
    }

    /// `systemctl reload intake` sends SIGHUP: a valid file is applied in the running daemon, an
    /// invalid one is refused with its problems in the journal and the daemon keeps running.
    @Test func sighupAppliesAValidConfigAndRefusesAnInvalidOne() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGKILL) }

        try world.writeConfig(port: nil, extra: "[retention]\ndelivered_days = 30\n")
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.snapshot().contains("configuration reloaded") }, "\(daemon.stderr.snapshot())")
        #expect(daemon.stderr.snapshot().contains("retention"))

        let valid = world.root + "/valid.toml"
        try FileManager.default.copyItem(atPath: world.configPath, toPath: valid)
        try world.writeConfig(port: nil, extra: "[retention]\ndelivered_days = \"soon\"\n")
        daemon.signal(SIGHUP)
        #expect(eventually { daemon.stderr.snapshot().contains("configuration reload refused") }, "\(daemon.stderr.snapshot())")
        // The problems follow the heading line in journal lines of their own.
        #expect(eventually { daemon.stderr.snapshot().contains("retention.delivered_days") }, "\(daemon.stderr.snapshot())")
        // The daemon still runs and scans (the CLI reads a valid copy to find its socket).
        let scan = try world.intake(["scan", "--profile", "default", "--config", valid])
        #expect(scan.status == 0 && scan.stderr.contains("scan accepted by the daemon"), "\(scan.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 30) == 0)
    }

    @Test func backupUnitsPassSystemdAnalyzeVerify() throws {
        let dir = NSTemporaryDirectory() + "intake-units-" + UUID().uuidString.prefix(6)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["intake-backup.service", "intake-backup.timer"] {
            let text = try String(contentsOf: Harness.repository.appendingPathComponent("systemd/" + name), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/intake", with: Harness.intake)
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        let verify = try Harness.run("/usr/bin/systemd-analyze", ["verify", dir + "/intake-backup.timer", dir + "/intake-backup.service"])
        let complaints = (verify.stdout + verify.stderr).split(separator: "\n").filter { $0.contains("intake-backup") }
        #expect(verify.status == 0 && complaints.isEmpty, "\(verify.stdout)\(verify.stderr)")
        let unit = try String(contentsOfFile: dir + "/intake-backup.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=\(Harness.intake) backup"))
        let main = try String(contentsOf: Harness.repository.appendingPathComponent("systemd/intake.service"), encoding: .utf8)
        #expect(main.contains("ExecReload=/bin/kill -HUP $MAINPID"))
    }
}
}
