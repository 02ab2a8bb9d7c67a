import Foundation
import Registry
import Testing
@testable import Appliance
@testable import Scanning

/// The daemon's button loop on a replayed HP 7650 (hp5590.c): its `button-pressed` string button
/// and its `doc-in-adf` sensor, as the daemon polls them.
extension DaemonTests {
    final class ReplayedScanner: @unchecked Sendable {
        let device: ReplayDevice
        let scanner: DeviceScanner

        init(_ file: String) throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("ScanningTests/Devices/\(file)")
            device = ReplayDevice(try JSONDecoder().decode(DeviceDescription.self, from: Data(contentsOf: url)))
            scanner = DeviceScanner(device: device)
        }
    }

    @Test func aStringButtonStartsOneScanPerPressAndASensorNone() async throws {
        let dir = TemporaryDirectory()
        let replay = try ReplayedScanner("hp5590-7650.json")
        var configuration = Configuration()
        configuration.organisationCode = "000.00.00.H49"
        configuration.paths.stateDirectory = dir.path + "/state"
        configuration.paths.socket = dir.path + "/intake.sock"
        configuration.disk.minimumFreeMB = 1
        configuration.device.buttonPollInterval = .milliseconds(20)
        configuration.profiles["default"]?.resolution = 200  // registered scans need ≥ 200 dpi
        configuration.release = .immediate
        configuration.triggers = [.init(kind: .button, button: "button-pressed=scan", profile: "default")]
        let context = try ApplianceContext(configuration: configuration, clock: SystemWallClock(), buildYear: 2026)
        let daemon = Daemon(context: context, logger: testLogger, locateScanner: { replay.scanner }, handleSignals: false)
        let task = Task { try await daemon.run() }
        #expect(await waitUntil { daemon.snapshot().deviceState == .connected })
        func documents() -> Int { ((try? context.register.list()) ?? []).count }

        // The feeder's sensor changes as paper goes in and out: never a scan.
        for value in [true, false, true] {
            replay.device.hardware("doc-in-adf", .bool(value))
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(documents() == 0)

        replay.device.hardware("button-pressed", .string("scan"))
        #expect(await waitUntil { documents() == 1 })
        try await Task.sleep(for: .milliseconds(300))   // the value stays "scan": no second scan
        #expect(documents() == 1)
        replay.device.hardware("button-pressed", .string("none"))
        replay.device.load(sheets: 2)
        try await Task.sleep(for: .milliseconds(100))
        replay.device.hardware("button-pressed", .string("email"))   // another button: no trigger bound
        try await Task.sleep(for: .milliseconds(200))
        #expect(documents() == 1)
        try await Task.sleep(for: .seconds(1))   // past the daemon's 1 s debounce window
        replay.device.hardware("button-pressed", .string("scan"))
        #expect(await waitUntil { documents() == 2 })
        #expect(try context.register.list().map(\.pages).sorted() == [2, 3])

        daemon.stop()
        try await task.value
    }
}
