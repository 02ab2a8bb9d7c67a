import Foundation
import Testing

extension SystemSuite {

/// The whole box on loopback: `intake serve` with the SANE test scanner, the reference
/// receiver as the centre, and the CLI as the clerk's button.
@Suite struct ApplianceSystemTests {
    func startDaemon(_ world: World) throws -> Child {
        let daemon = try Child(Harness.intake, ["serve", "--config", world.configPath], environment: world.environment)
        let up = eventually(timeout: 30) { FileManager.default.fileExists(atPath: world.socket) }
        guard up else { throw HarnessError("daemon did not start: \(daemon.stderr.snapshot())") }
        return daemon
    }

    func scan(_ world: World, profile: String = "default", extra: [String] = []) throws -> Harness.Output {
        try world.intakeWithConfig(["scan", "--profile", profile] + extra)
    }

    func number(_ output: Harness.Output) -> Int? {
        output.stdout.firstMatch(of: /Số đến (\d+)/).flatMap { Int($0.1) }
    }

    @Test func registeredScanWithoutDaemonNumbersConsecutively() throws {
        let world = try World()
        try world.writeConfig(port: nil)
        let first = try scan(world)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("daemon is not running"))
        let second = try scan(world, extra: ["--summary", "Công văn số 12/UBND"])
        #expect(number(first) == 1)
        #expect(number(second) == 2)
        let list = try world.intakeWithConfig(["register", "list", "--json"])
        let entries = try #require(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["number"] as? Int } == [1, 2])
        let verify = try world.intakeWithConfig(["register", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test func daemonScansOverTheSocketAndTheCentreReceivesEachDocumentOnce() throws {
        let world = try World()
        let receiver = try Receiver(world: world)
        try world.writeConfig(port: receiver.port)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }

        let first = try scan(world, extra: ["--summary", "Giấy mời họp"])
        #expect(first.status == 0, "\(first.stderr)\n\(daemon.stderr.snapshot())")
        #expect(first.stderr.contains("scan accepted by the daemon"))
        let second = try scan(world, profile: "urgent")
        #expect(number(first) == 1)
        #expect(number(second) == 2)
        #expect(try eventually { try receiver.documents().count == 2 }, "\(daemon.stderr.snapshot())")
        let held = try receiver.documents()
        #expect(Set(held.compactMap { ($0["metadata"] as? [String: Any])?["number"] as? Int ?? $0["number"] as? Int }) == [1, 2])

        let status = try world.intakeWithConfig(["status", "--json"])
        let report = try #require(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status.stdout)\(status.stderr)")
        let daemonPart = try #require(report["daemon"] as? [String: Any])
        #expect(daemonPart["deviceState"] as? String == "connected")
        #expect((report["queue"] as? [String: Int])?["delivered"] == 2)
        #expect(status.status == 0)

        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 20) == 0, "clean exit on SIGTERM")
        #expect(daemon.stderr.text().contains("intake serve stopped"))
    }

    @Test func backlogWaitsWhileTheCentreIsDownAndDrainsWhenItReturns() throws {
        let world = try World()
        var receiver = try Receiver(world: world)
        let port = receiver.port
        try world.writeConfig(port: port)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 20) }
        receiver.stop()

        for _ in 0..<2 { #expect(try scan(world).status == 0) }
        #expect(try scan(world, profile: "urgent").status == 0)
        // Numbers were given at once, offline.
        let status = try world.intakeWithConfig(["status", "--json"])
        let report = try #require(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((report["queue"] as? [String: Int])?["pending"] == 3)
        #expect(try eventually(timeout: 10) {
            let s = try world.intakeWithConfig(["status", "--json"])
            let r = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any]
            return (r?["daemon"] as? [String: Any])?["offlineSince"] != nil
        })

        receiver = try Receiver(world: world, port: port)
        #expect(try eventually(timeout: 30) { try receiver.documents().count == 3 }, "\(daemon.stderr.snapshot())")
        // Once every row is delivered the daemon sends nothing more: then the count is final.
        #expect(try eventually(timeout: 30) { try world.queue().allSatisfy { $0.state == "delivered" } }, "\((try? world.queue()) ?? [])")
        #expect(try receiver.documents().count == 3, "no duplicate at the centre")
    }

    @Test func aSlowUploadNeverDelaysTheNextScan() throws {
        let world = try World()
        // The centre takes 6 s to answer every upload.
        let receiver = try Receiver(world: world, extra: ["--delay-ms", "6000"])
        try world.writeConfig(port: receiver.port)
        let daemon = try startDaemon(world)
        defer { daemon.signal(SIGTERM); _ = daemon.wait(timeout: 30) }
        #expect(try scan(world).status == 0)
        #expect(try eventually(timeout: 10) { try receiver.documentPosts() >= 1 }, "the first upload is in flight")
        let started = Date()
        let second = try scan(world, profile: "urgent")
        let took = Date().timeIntervalSince(started)
        #expect(second.status == 0)
        #expect(number(second) == 2)
        #expect(took < 5, "the second scan waited \(took) s for an upload")
        #expect(try eventually(timeout: 30) { try receiver.documents().count == 2 })
    }

    @Test func sigtermMidScanFinishesThePageAndRegistersNothingHalf() throws {
        let world = try World()
        try world.writeConfig(port: nil, profile: """
        [profiles.slow]
        source = "ADF"
        mode = "Color"
        resolution = 300
        device_options = { "read-delay" = "true", "read-delay-duration" = "200000" }
        """)
        let daemon = try startDaemon(world)
        let client = try Child(Harness.intake, ["scan", "--profile", "slow", "--config", world.configPath], environment: world.environment)
        #expect(eventually(timeout: 30) { client.stderr.snapshot().contains("scan accepted") })
        Thread.sleep(forTimeInterval: 0.5)
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 60) == 0, "\(daemon.stderr.snapshot())")
        _ = client.wait(timeout: 10)
        #expect(client.process.terminationStatus == 1)
        #expect(client.stderr.text().contains("nothing was registered"))
        let list = try world.intakeWithConfig(["register", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any]
        #expect(entries?.isEmpty == true, "\(list.stdout)")
        let staging = (try? FileManager.default.contentsOfDirectory(atPath: world.root + "/state/staging")) ?? []
        #expect(staging.isEmpty, "\(staging)")
    }

    @Test func diskGuardRefusesToScanAndSaysWhy() throws {
        let world = try World()
        try world.writeConfig(port: nil, extra: "")
        var text = try String(contentsOfFile: world.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "min_free_mb = 10", with: "min_free_mb = 999999")
        try text.write(toFile: world.configPath, atomically: true, encoding: .utf8)
        let output = try scan(world)
        #expect(output.status == 1)
        #expect(output.stderr.contains("out of disk space"), "\(output.stderr)")
        #expect(output.stderr.contains("min_free_mb"))
    }
}

/// The unit file and udev rule as systemd sees them.
@Suite struct ServiceFileTests {
    @Test func unitPassesSystemdAnalyzeVerifyAndSecurityRatesItTwoOrLower() throws {
        let dir = NSTemporaryDirectory() + "intake-unit-" + UUID().uuidString.prefix(6)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Point ExecStart at the binary just built, since /usr/local/bin/intake is not installed here.
        let unit = try String(contentsOf: Harness.repository.appendingPathComponent("systemd/intake.service"), encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/intake", with: Harness.intake)
        try unit.write(toFile: dir + "/intake.service", atomically: true, encoding: .utf8)
        let verify = try Harness.run("/usr/bin/systemd-analyze", ["verify", dir + "/intake.service"])
        let complaints = (verify.stdout + verify.stderr).split(separator: "\n").filter { $0.contains("intake.service") }
        #expect(verify.status == 0 && complaints.isEmpty, "\(verify.stdout)\(verify.stderr)")
        let security = try Harness.run("/usr/bin/systemd-analyze", ["security", "--offline=true", dir + "/intake.service"])
        let level = try #require(security.stdout.firstMatch(of: /Overall exposure level for intake.service: ([\d.]+)/))
        #expect((Double(level.1) ?? 10) <= 2.0, "\(security.stdout.suffix(400))")
    }

    @Test func udevRuleMatchesSaneScannersAndStartsTheService() throws {
        let rule = try String(contentsOf: Harness.repository.appendingPathComponent("udev/70-intake.rules"), encoding: .utf8)
        #expect(rule.contains("ENV{libsane_matched}"))
        #expect(rule.contains("ENV{SYSTEMD_WANTS}+=\"intake.service\""))
        #expect(rule.contains("GROUP=\"scanner\""))
        // Every non-comment line is KEY<op>"value" pairs, the way udev parses them.
        for line in rule.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            for pair in line.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                #expect(pair.wholeMatch(of: /[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|\+=|=|:=)"[^"]*"/) != nil, "bad udev syntax: \(pair)")
            }
        }
    }
}
}
