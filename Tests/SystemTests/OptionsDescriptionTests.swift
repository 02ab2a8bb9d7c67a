import Foundation
import Testing

extension SystemSuite {

/// `intake options DEVICE --json` on SANE's real test backend, read back with `--replay`.
@Suite struct OptionsDescriptionTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Options and rules without the capture's own provenance line.
    private func comparable(_ description: [String: Any]) throws -> String {
        var d = description
        d["source"] = nil
        let data = try JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aCapturedDescriptionRoundTripsThroughTheReplayDevice() throws {
        let world = try World()
        let captured = try world.intake(["options", "test:0", "--json", "--probe-rules"])
        #expect(captured.status == 0, "\(captured.stderr)")
        let description = try json(captured.stdout)
        #expect(description["format"] as? String == "intake-device-description/1")
        let options = try #require(description["options"] as? [[String: Any]])
        #expect(options.contains { $0["name"] as? String == "mode" })
        #expect((description["rules"] as? [Any])?.isEmpty == false)

        let file = world.root + "/test0.json"
        try captured.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let replayed = try world.intake(["options", "--replay", file, "--json", "--probe-rules"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(try comparable(json(replayed.stdout)) == comparable(description))

        let table = try world.intake(["options", "--replay", file])
        #expect(table.status == 0)
        #expect(table.stdout.contains("resolution"))
    }

    @Test func optionsWantsADeviceOrADescriptionNotBoth() throws {
        let output = try Harness.run(Harness.intake, ["options", "test:0", "--replay", "x.json"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("not both"))
    }
}

}
