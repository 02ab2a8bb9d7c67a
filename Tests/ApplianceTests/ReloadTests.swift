import Foundation
import Registry
import Testing
@testable import Appliance

/// SIGHUP's work: the configuration file is read again and applied only when valid, without
/// closing the scanner or cutting a scan short.
@Suite(.serialized) struct ReloadTests {
    func config(_ dir: TemporaryDirectory, urgency: String, extra: String = "", deviceName: String = "fake:0") -> String {
        """
        organisation_code = "000.00.00.H49"
        [paths]
        state_dir = "\(dir.path)/state"
        socket = "\(dir.path)/intake.sock"
        [device]
        name = "\(deviceName)"
        rescan_seconds = 0.5
        [profiles.default]
        resolution = 200
        urgency = "\(urgency)"
        [disk]
        min_free_mb = 1
        \(extra)
        """
    }

    @Test func validChangeAppliesToTheNextScanWithoutDroppingTheScannerOrTheScanInProgress() async throws {
        let dir = TemporaryDirectory()
        let file = dir.path + "/intake.toml"
        try config(dir, urgency: "normal").write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try ConfigurationLoader.load(path: file)
        let context = try ApplianceContext(configuration: configuration, clock: SystemWallClock(), buildYear: 2026)
        let usb = FakeUSB()
        usb.scanner.pageDelay = 0.3
        let daemon = Daemon(context: context, logger: testLogger, locateScanner: { try usb.locate() }, handleSignals: false)
        let task = Task { try await daemon.run() }
        let socket = configuration.paths.socket
        #expect(await DaemonTests().waitUntil { FileManager.default.fileExists(atPath: socket) })

        // A scan is running when the new file is applied.
        let first = Task.detached { try DaemonTests.blockingScan(socket, profile: "default") }
        #expect(await DaemonTests().waitUntil { usb.scanner.batches == 1 })
        try config(dir, urgency: "hoa_toc", deviceName: "other:1").write(toFile: file, atomically: true, encoding: .utf8)
        let outcome = daemon.reloadConfiguration()
        #expect(outcome == .applied(changed: ["profiles"], needsRestart: ["device"]))
        let inProgress = try await first.value
        #expect(inProgress.last?.document?.urgency == "normal")
        #expect(inProgress.last?.document?.pages == 3)

        let second = try await Task.detached { try DaemonTests.blockingScan(socket, profile: "default") }.value
        #expect(second.last?.document?.urgency == "hoaToc")
        #expect(usb.opens == 1)
        #expect(!usb.scanner.closed)

        // An invalid file is refused; the running configuration stays.
        try (config(dir, urgency: "hoa_toc") + "\n[profiles.broken]\nresolution = \"high\"\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        guard case .refused(let problems) = daemon.reloadConfiguration() else {
            Issue.record("an invalid configuration was applied")
            return
        }
        #expect(problems.contains { $0.contains("profiles.broken.resolution") && $0.contains("intake.toml:") })
        let third = try await Task.detached { try DaemonTests.blockingScan(socket, profile: "default") }.value
        #expect(third.last?.document?.urgency == "hoaToc")
        #expect(daemon.live.context.configuration.profiles["broken"] == nil)

        daemon.stop()
        try await task.value
    }

    @Test func mergeKeepsWhatNeedsARestartAndNamesIt() {
        var old = Configuration()
        old.organisationCode = "000.00.00.H49"
        var new = old
        new.paths.socket = "/elsewhere.sock"
        new.retention.deliveredDays = 30
        new.hooks = [.init(event: .registered, argv: ["/bin/true"])]
        let (merged, changed, restart) = LiveConfiguration.merge(running: old, loaded: new)
        #expect(merged.paths == old.paths)
        #expect(merged.retention.deliveredDays == 30)
        #expect(merged.hooks.count == 1)
        #expect(changed == ["hooks", "retention"])
        #expect(restart == ["paths"])
    }
}
