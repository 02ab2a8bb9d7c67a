import Foundation
import Testing
@testable import Scanning

/// What a device looks like from outside, compared option by option.
private struct Visible: Equatable, CustomStringConvertible {
    var name: String
    var type: ScanOption.ValueType
    var constraint: ScanOption.Constraint
    var value: OptionValue?
    var active: Bool
    var settable: Bool

    init(_ o: ScanOption) {
        name = o.name
        type = o.type
        constraint = o.constraint
        value = o.value
        active = o.isActive
        settable = o.isSettable
    }

    var description: String { "\(name)=\(value.map(String.init(describing:)) ?? "-")\(active ? "" : " inactive")" }
}

private func visible(_ scanner: any Scanning.Scanner) throws -> [Visible] {
    try scanner.options().map(Visible.init)
}

/// `intake options DEVICE --json` (DescriptionCapture) on SANE's real test backend, replayed.
extension SaneScannerTests {
    @Test func aCapturedTestDeviceReplaysWithTheSameOptionsAndBehaviour() throws {
        let real = try SaneFixture.openTestDevice()
        defer { real.close() }
        // The test backend starts with its gamma tables active, a state no option setting reaches
        // again (test.c deactivates them with enable-test-options): start from a reachable state.
        try real.setOption("enable-test-options", to: .bool(true))
        try real.setOption("enable-test-options", to: .bool(false))
        let before = try visible(real)
        let captured = try DescriptionCapture.capture(real, probeRules: true)
        let after = try visible(real)
        #expect(after.count == before.count)
        for (a, b) in zip(before, after) where a != b { Issue.record("probing changed \(a) into \(b)") }
        #expect(!captured.rules.isEmpty)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(captured)
        let decoded = try JSONDecoder().decode(DeviceDescription.self, from: json)
        #expect(try encoder.encode(decoded) == json, "the JSON form round-trips")
        let replay = decoded.openReplay()
        for (a, b) in zip(before, try visible(replay)) where a != b { Issue.record("replay shows \(b), device showed \(a)") }

        // The same profiles on both: the same options afterwards and the same pages.
        let profiles = [
            ScanSettings(source: .flatbed, mode: .color, resolution: 50, pageWidthMM: 60, pageHeightMM: 40),
            ScanSettings(source: .flatbed, mode: .lineart, resolution: 75, pageWidthMM: 80, pageHeightMM: 50),
            ScanSettings(source: .flatbed, mode: .gray, resolution: 40, pageWidthMM: 50, pageHeightMM: 70),
        ]
        for settings in profiles {
            #expect(real.validate(settings) == replay.validate(settings))
            try real.apply(settings)
            try replay.apply(settings)
            let realOptions = try visible(real)
            let replayOptions = try visible(replay)
            for (a, b) in zip(realOptions, replayOptions) where a != b {
                Issue.record("\(settings.mode?.rawValue ?? ""): real \(a) vs replay \(b)")
            }
            let realPage = try #require(try scanAll(real).first)
            let replayPage = try #require(try scanAll(replay).first)
            #expect(abs(realPage.width - replayPage.width) <= 1)
            #expect(abs(realPage.height - replayPage.height) <= 1)
            #expect(realPage.depth == replayPage.depth && realPage.channels == replayPage.channels)
        }
        // A value the device refuses is refused by the replay too.
        #expect(throws: ScanError.self) { try replay.setOption("mode", to: .string("Infrared")) }
        #expect(throws: ScanError.self) { try real.setOption("mode", to: .string("Infrared")) }
    }
}
