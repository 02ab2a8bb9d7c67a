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
        let before = try visible(real)
        let captured = try DescriptionCapture.capture(real, probeRules: true)
        #expect(try visible(real) == before, "probing leaves the device as it was")
        #expect(!captured.rules.isEmpty)

        let json = try JSONEncoder().encode(captured)
        let decoded = try JSONDecoder().decode(DeviceDescription.self, from: json)
        #expect(decoded == captured, "the JSON form round-trips")
        let replay = decoded.openReplay()
        #expect(try visible(replay) == before)

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
