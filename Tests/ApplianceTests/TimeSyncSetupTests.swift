import Foundation
import Testing
@testable import Appliance

/// The centre as time source: the timesyncd drop-in, written in a temporary root (never /etc).
@Suite struct TimeSyncSetupTests {
    /// A root with Debian 12's own timesyncd.conf (everything commented out), as on a fresh box.
    func freshRoot() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/etc/systemd", withIntermediateDirectories: true)
        let debian = (try? String(contentsOfFile: "/etc/systemd/timesyncd.conf", encoding: .utf8))
            ?? "[Time]\n#NTP=\n#FallbackNTP=0.debian.pool.ntp.org 1.debian.pool.ntp.org 2.debian.pool.ntp.org 3.debian.pool.ntp.org\n"
        #expect(debian.contains("#NTP="))
        try Data(debian.utf8).write(to: URL(fileURLWithPath: dir.path + "/etc/systemd/timesyncd.conf"))
        return dir
    }

    func target(_ name: String, url: String, authority: Bool = false) -> Configuration.Target {
        var target = Configuration.Target(name: name, kind: .http)
        target.url = url
        target.numberingAuthority = authority
        return target
    }

    @Test func theCentreIsTheNumberingAuthorityElseTheFirstTargetWithAURL() {
        var configuration = Configuration()
        configuration.targets = [Configuration.Target(name: "usb", kind: .directory, path: "/media/usb"),
                                 target("archive", url: "https://luutru.hanoi.gov.vn/api"),
                                 target("centre", url: "https://vanban.hanoi.gov.vn:8443/intake", authority: true)]
        #expect(TimeSyncSetup.centreHost(configuration) == "vanban.hanoi.gov.vn")
        configuration.targets[2].numberingAuthority = false
        #expect(TimeSyncSetup.centreHost(configuration) == "luutru.hanoi.gov.vn")
        configuration.targets = [Configuration.Target(name: "usb", kind: .directory, path: "/media/usb")]
        #expect(TimeSyncSetup.centreHost(configuration) == nil)
    }

    @Test func onAFreshBoxTheDropInNamesTheCentreAsFallbackAndSystemdReadsIt() throws {
        let root = try freshRoot()
        let setup = TimeSyncSetup(root: root.path)
        #expect(try setup.apply(server: "vanban.hanoi.gov.vn") == .configured(server: "vanban.hanoi.gov.vn", changed: true))
        let text = try String(contentsOfFile: root.path + TimeSyncSetup.dropInPath, encoding: .utf8)
        #expect(text.contains("\n[Time]\nFallbackNTP=vanban.hanoi.gov.vn 0.debian.pool.ntp.org "))
        #expect(!text.contains("\nNTP="), "NTP= would override the office's DHCP servers")
        #expect(setup.configuredServer() == "vanban.hanoi.gov.vn")
        #expect(try setup.apply(server: "vanban.hanoi.gov.vn") == .configured(server: "vanban.hanoi.gov.vn", changed: false))
        // systemd's own reader finds the drop-in after the main file.
        let analyze = Process()
        analyze.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        analyze.arguments = ["cat-config", "--root=\(root.path)", "systemd/timesyncd.conf"]
        let pipe = Pipe()
        analyze.standardOutput = pipe
        try analyze.run()
        let shown = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        analyze.waitUntilExit()
        #expect(analyze.terminationStatus == 0)
        let dropIn = try #require(shown.range(of: "# \(root.path)\(TimeSyncSetup.dropInPath)\n"), "\(shown)")
        #expect(shown[dropIn.upperBound...].contains("[Time]\nFallbackNTP=vanban.hanoi.gov.vn "), "\(shown)")
        #expect(TimeSyncSetup(root: root.path).fix(centre: "vanban.hanoi.gov.vn").contains("falls back to the centre vanban.hanoi.gov.vn"))
    }

    @Test(arguments: [("/etc/systemd/timesyncd.conf", "[Time]\nNTP=ntp.so-noi-vu.vn\n"),
                      ("/etc/systemd/timesyncd.conf.d/office.conf", "[Time]\n  FallbackNTP = ntp.office.lan\n"),
                      ("/run/systemd/timesyncd.conf.d/50-dhcp.conf", "[Time]\nNTP=10.0.0.1\n")])
    func theOfficesOwnTimeServersAreLeftAloneAndNothingIsWritten(file: String, contents: String) throws {
        let root = try freshRoot()
        try FileManager.default.createDirectory(atPath: root.path + (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: root.path + file))
        let setup = TimeSyncSetup(root: root.path)
        guard case let .skipped(reason) = try setup.apply(server: "vanban.hanoi.gov.vn") else {
            Issue.record("wrote a drop-in over the office's own servers")
            return
        }
        #expect(reason.contains(file))
        #expect(!FileManager.default.fileExists(atPath: root.path + TimeSyncSetup.dropInPath))
        #expect(setup.fix(centre: "vanban.hanoi.gov.vn").contains("office's time servers do not answer"))
    }

    @Test func aBoxKeptOnTimeByChronyGetsNoTimesyncdDropInButTheLineToAdd() throws {
        let root = try freshRoot()
        try FileManager.default.createDirectory(atPath: root.path + "/usr/sbin", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root.path + "/usr/sbin/chronyd", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        let setup = TimeSyncSetup(root: root.path)
        guard case let .skipped(reason) = try setup.apply(server: "vanban.hanoi.gov.vn") else {
            Issue.record("wrote a timesyncd drop-in on a chrony box")
            return
        }
        #expect(reason.contains("chrony") && reason.contains("server vanban.hanoi.gov.vn iburst"))
        #expect(!FileManager.default.fileExists(atPath: root.path + TimeSyncSetup.dropInPath))
    }

    @Test(arguments: ["127.0.0.1", "localhost", "vanban.example.gov.vn.example", "centre.example.org", "host.invalid", "a b"])
    func loopbackAndExampleHostsAreNeverMadeTheTimeSource(host: String) throws {
        let root = try freshRoot()
        let outcome = try TimeSyncSetup(root: root.path).apply(server: host)
        guard case .skipped = outcome else {
            Issue.record("\(host) was written: \(outcome)")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: root.path + TimeSyncSetup.dropInPath))
    }

    @Test func doctorsFixNamesTheCommandAndTheCentreWhenNothingIsConfigured() throws {
        let root = try freshRoot()
        let fix = TimeSyncSetup(root: root.path).fix(centre: "vanban.hanoi.gov.vn")
        #expect(fix.contains("sudo intake config timesync") && fix.contains("vanban.hanoi.gov.vn") && fix.contains("timedatectl set-ntp true"))
        #expect(TimeSyncSetup(root: root.path).fix(centre: "127.0.0.1").contains("set NTP= in /etc/systemd/timesyncd.conf"))
    }
}
